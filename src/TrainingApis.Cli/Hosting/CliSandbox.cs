using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Hosting;

/// <summary>The settings of the sandbox <c>--sandbox</c> starts: the defaults, with bulk imports that finish in seconds.</summary>
internal static class CliSandbox
{
    public static TrainingSandboxOptions Options() => new()
    {
        BulkImportQueueDelay = TimeSpan.FromMilliseconds(500),
        BulkImportProcessingTime = TimeSpan.FromSeconds(2),
    };

    /// <summary>How often <c>--wait</c> polls a sandbox's bulk import (it finishes in seconds, and has no real quota to spare).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
}
