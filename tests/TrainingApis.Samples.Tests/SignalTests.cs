using System.Net;
using System.Net.Sockets;

namespace TrainingApis.Samples.Tests;

/// <summary>
/// An embedded sandbox never changes how its host process stops: a program that starts one and waits ends on SIGTERM
/// and on SIGINT (Ctrl+C) as any console program does, within 2 s; the standalone sandbox stops cleanly on both.
/// </summary>
public sealed class SignalTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);   // a cold start on a busy machine
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_program_embedding_the_sandbox_exits_on_the_signal(string signal)
    {
        using var program = ChildProgram.Start("tests/EmbeddedSandboxHost");
        await program.WaitForLineAsync("READY ", StartLimit);

        program.Signal(signal);

        (await program.WaitForExitAsync(StopLimit)).Should().BeTrue("SIG{0} ends a console program that embeds the sandbox; output:\n{1}", signal, program.Output);
        program.ExitCode.Should().NotBe(0, "the program was stopped by the signal, not by finishing");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_standalone_sandbox_stops_cleanly_on_the_signal(string signal)
    {
        using var program = ChildProgram.Start("src/TrainingApis.Sandbox", arguments: ["--port", "0"]);
        await program.WaitForLineAsync("TrainingApis.Sandbox listening on", StartLimit);

        program.Signal(signal);

        (await program.WaitForExitAsync(StopLimit)).Should().BeTrue("SIG{0} stops the standalone sandbox; output:\n{1}", signal, program.Output);
        program.ExitCode.Should().Be(0);
        program.Output.Should().Contain("Stopping.");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_quickstart_waiting_on_a_silent_service_with_the_sandbox_running_exits_on_the_signal(string signal)
    {
        // Symtrain: a server that accepts connections and never answers; Senar: the embedded sandbox.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var program = ChildProgram.Start("samples/Quickstart", new Dictionary<string, string?>
        {
            ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
            ["SYMTRAIN_BASE_ADDRESS"] = $"http://127.0.0.1:{port}/",
        });
        await program.WaitForLineAsync("Symtrain · Reports", StartLimit);
        using var accepted = await silent.AcceptTcpClientAsync().WaitAsync(StartLimit);   // the first call is waiting

        program.Signal(signal);

        (await program.WaitForExitAsync(StopLimit)).Should().BeTrue("SIG{0} ends the Quickstart; output:\n{1}", signal, program.Output);
        program.ExitCode.Should().NotBe(0);
    }
}
