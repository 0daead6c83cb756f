using System.Net;
using Quickstart;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Samples.Tests;

/// <summary>
/// The Quickstart stops its tour at the first network failure, with one line naming the host and what to check, and
/// exits 3, instead of failing every call in turn after its retries.
/// </summary>
public sealed class QuickstartNetworkFailureTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Symtrain_on_a_port_that_refuses_connections_stops_the_tour_at_the_first_call_naming_the_host()
    {
        var port = LoopbackPort.Refusing();

        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
            ["SYMTRAIN_BASE_ADDRESS"] = $"http://127.0.0.1:{port}/",
        });

        exitCode.Should().Be(3, output);
        Lines(output, "  FAIL").Should().ContainSingle("the tour stops at its first failure:\n{0}", output)
            .Which.Should().Contain("Reports.GetSymsResultAsync");
        Lines(output, "Quickstart stopped").Should().ContainSingle()
            .Which.Should().Contain($"Symtrain at 127.0.0.1:{port} could not be reached").And.Contain("refused").And.Contain("SYMTRAIN_BASE_ADDRESS");
        output.Should().NotContain("Senar · ", "nothing runs after the stop").And.NotContain("fake-key-for-the-test");
    }

    [Fact]
    public async Task Senar_on_a_port_that_refuses_connections_stops_the_tour_at_the_login_naming_the_host()
    {
        var port = LoopbackPort.Refusing();

        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SENAR_USERNAME"] = "someone@example.com",
            ["SENAR_PASSWORD"] = "not-a-real-password",
            ["SENAR_BASE_ADDRESS"] = $"http://127.0.0.1:{port}/",
        });

        exitCode.Should().Be(3, output);
        Lines(output, "  FAIL").Should().ContainSingle().Which.Should().Contain("Auth.LoginAsync");
        Lines(output, "Quickstart stopped").Should().ContainSingle()
            .Which.Should().Contain($"Senar at 127.0.0.1:{port} could not be reached").And.Contain("SENAR_BASE_ADDRESS");
        output.Should().NotContain("not-a-real-password");
    }

    [Fact]
    public async Task Symtrain_on_a_server_that_never_answers_stops_after_the_first_calls_short_bound()
    {
        using var server = LoopbackPort.Silent();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
            ["SYMTRAIN_BASE_ADDRESS"] = $"http://127.0.0.1:{server.Port}/",
            ["Quickstart__ProbeTimeout"] = "00:00:02",
        });

        exitCode.Should().Be(3, output);
        server.Accepted.Should().Be(1, "the first call is not retried");
        output.Should().Contain(QuickstartApp.ProbeNotice(TimeSpan.FromSeconds(2)), "the run says how long its first call may take");
        var fail = Lines(output, "  FAIL").Should().ContainSingle().Which;
        fail.Should().Contain("Reports.GetSymsResultAsync").And.Contain($"(POST http://127.0.0.1:{server.Port}/v2/report/syms-result) timed out after ")
            .And.Contain("(SymtrainClientOptions.Timeout = 2 s; AttemptTimeout = 2 s; Retry.MaxRetries = 0)");
        SecondsSpent(fail).Should().BeInRange(2, 15, "the first call is bounded by Quickstart:ProbeTimeout (2 s), not the client's 10 min Timeout");
        Lines(output, "Quickstart stopped").Should().ContainSingle().Which.Should()
            .Contain($"Symtrain at 127.0.0.1:{server.Port} could not be reached (no answer in time: the first call waits at most 2 s, Quickstart:ProbeTimeout)")
            .And.Contain("SYMTRAIN_BASE_ADDRESS");
        output.Should().NotContain("Senar · ").And.NotContain("fake-key-for-the-test");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(100), "one attempt of the default AttemptTimeout alone would take 100 s");
    }

    [Fact]
    public async Task Senar_on_a_server_that_never_answers_stops_at_the_login_after_its_short_bound()
    {
        using var server = LoopbackPort.Silent();

        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SENAR_USERNAME"] = "someone@example.com",
            ["SENAR_PASSWORD"] = "not-a-real-password",
            ["SENAR_BASE_ADDRESS"] = $"http://127.0.0.1:{server.Port}/",
            ["Quickstart__ProbeTimeout"] = "00:00:02",
        });

        exitCode.Should().Be(3, output);
        var fail = Lines(output, "  FAIL").Should().ContainSingle().Which;
        fail.Should().Contain("Auth.LoginAsync").And.Contain("timed out after ").And.Contain("SenarClientOptions.Timeout = 2 s");
        SecondsSpent(fail).Should().BeInRange(2, 15);
        Lines(output, "Quickstart stopped").Should().ContainSingle().Which.Should()
            .Contain($"Senar at 127.0.0.1:{server.Port} could not be reached (no answer in time: the first call waits at most 2 s, Quickstart:ProbeTimeout)");
        output.Should().NotContain("not-a-real-password");
    }

    [Fact]
    public async Task A_probe_timeout_that_is_not_a_time_span_is_a_settings_error()
    {
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
            ["SYMTRAIN_BASE_ADDRESS"] = $"http://127.0.0.1:{LoopbackPort.Refusing()}/",
            ["Quickstart__ProbeTimeout"] = "ten seconds",
        });

        exitCode.Should().Be(2, output);
        output.Should().Contain("Quickstart:ProbeTimeout must be a positive time span such as 00:00:10 (was 'ten seconds')");
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_stops_the_tour_naming_the_host()
    {
        // .invalid never resolves (RFC 6761): the same failure as any host without a network.
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
            ["SYMTRAIN_BASE_ADDRESS"] = "https://api.symtrain.invalid/",
        });

        exitCode.Should().Be(3, output);
        Lines(output, "Quickstart stopped").Should().ContainSingle()
            .Which.Should().Contain("Symtrain at api.symtrain.invalid could not be reached (the host name could not be resolved");
    }

    [Fact]
    public void Without_a_network_the_line_names_the_default_symtrain_host()
    {
        // What the SDK throws when a name does not resolve: its transport ApiException around the HttpRequestException.
        var cause = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (api.symtrain.com:443)");
        var failure = new ApiException("Symtrain POST /v2/report/syms-result failed without a usable response: NameResolutionError (HttpRequestException).", new ApiErrorDetails { IsTransient = true }, cause);

        var line = NetworkFailure.Describe("Symtrain", new SymtrainClientOptions().BaseAddress, "SYMTRAIN_BASE_ADDRESS", failure);

        NetworkFailure.Is(failure).Should().BeTrue();
        line.Should().Contain("Symtrain at api.symtrain.com could not be reached (the host name could not be resolved: no network or DNS?)")
            .And.Contain("(https://api.symtrain.com/; SYMTRAIN_BASE_ADDRESS changes it)").And.NotContain("set by").And.NotContain("\n");
        NetworkFailure.Describe("Senar", new SenarClientOptions().BaseAddress, "SENAR_BASE_ADDRESS", new TimeoutException("late"))
            .Should().Contain("Senar at studio.senar.io could not be reached (no answer in time)");
    }

    [Fact]
    public void Only_network_failures_stop_the_tour()
    {
        NetworkFailure.Is(new TimeoutException()).Should().BeTrue();
        NetworkFailure.Is(new HttpRequestException(HttpRequestError.ConnectionError)).Should().BeTrue();
        NetworkFailure.Is(new ApiException("reset", new ApiErrorDetails(), new IOException("reset"))).Should().BeTrue();

        NetworkFailure.Is(new ApiNotFoundException("no such user", new ApiErrorDetails { StatusCode = HttpStatusCode.NotFound })).Should().BeFalse();
        NetworkFailure.Is(new ApiException("server error", new ApiErrorDetails { StatusCode = HttpStatusCode.InternalServerError })).Should().BeFalse();
        NetworkFailure.Is(new ArgumentException("bad id")).Should().BeFalse();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment)
    {
        using var program = ChildProgram.Start("samples/Quickstart", environment);
        (await program.WaitForExitAsync(RunLimit)).Should().BeTrue("the Quickstart stops at the first network failure; output:\n{0}", program.Output);
        return (program.ExitCode, program.Output);
    }

    /// <summary>The seconds a timeout message says the call took ("timed out after 2.0 s").</summary>
    private static double SecondsSpent(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"timed out after (?<s>[0-9]+\.[0-9]) s");
        match.Success.Should().BeTrue("the message states the time spent: {0}", line);
        return double.Parse(match.Groups["s"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IReadOnlyList<string> Lines(string output, string prefix) =>
        output.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).ToList();
}
