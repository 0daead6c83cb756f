using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TrainingApis.Sandbox.Control;
using TrainingApis.Sandbox.Data;
using TrainingApis.Sandbox.Senar;
using TrainingApis.Sandbox.Symtrain;

namespace TrainingApis.Sandbox;

/// <summary>Everything one running sandbox holds: its settings, seed data, state and helpers.</summary>
internal sealed class SandboxRuntime : IDisposable
{
    public SandboxRuntime(TrainingSandboxOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger("TrainingApis.Sandbox");

        var symtrain = SymtrainSeed.Create(options.Seed, options.OrganizationId, options.TraineeCount, options.SimulationCount);
        Symtrain = new SymtrainState(symtrain, Time, options.BulkImportQueueDelay, options.BulkImportProcessingTime);
        Reports = new ReportGenerator(options.Seed, symtrain, options.ReportDataStart);
        Quota = new FixedWindowQuota(options.SymtrainQuotaLimit, options.SymtrainQuotaWindow, Time);

        var senar = SenarSeed.Create(options.Seed, options.SenarUsername, options.SenarUserCount);
        Activities = new ActivityGenerator(options.Seed, senar, options.SenarActivityCount);
        Senar = new SenarState(senar, Activities, Time, options.SenarTokenLifetime);
        Webhooks = new WebhookDispatcher(Senar, Time, options.WebhookTimeout, Logger);
        Faults = new FaultInjector();
    }

    public TrainingSandboxOptions Options { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public SymtrainState Symtrain { get; }

    public ReportGenerator Reports { get; }

    public FixedWindowQuota Quota { get; }

    public SenarState Senar { get; }

    public ActivityGenerator Activities { get; }

    public WebhookDispatcher Webhooks { get; }

    public FaultInjector Faults { get; }

    /// <summary>The sandbox's own address, ending with a slash; known once Kestrel listens.</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    public void Dispose() => Webhooks.Dispose();
}
