using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Hosting;

/// <summary>A sandbox a command runs against; stopped at the end when the command started it.</summary>
internal sealed class SandboxLease(TrainingSandbox sandbox, bool owned) : IAsyncDisposable
{
    public TrainingSandbox Sandbox { get; } = sandbox;

    public ValueTask DisposeAsync() => owned ? Sandbox.DisposeAsync() : ValueTask.CompletedTask;
}
