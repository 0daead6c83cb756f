using Microsoft.Extensions.Hosting;

namespace TrainingApis.Sandbox;

/// <summary>
/// The lifetime of the sandbox's web host: it hooks no signal (SIGINT/Ctrl+C, SIGTERM, SIGQUIT) and no process exit,
/// unlike the default console lifetime, which would take over the stopping of whatever process embeds the sandbox
/// (the host would stop on Ctrl+C while the process went on waiting). The sandbox stops when it is disposed; the
/// standalone sandbox (<see cref="Program"/>) handles the signals itself.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
