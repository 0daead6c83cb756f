using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TrainingApis.Sandbox;

/// <summary>
/// Settings of a <see cref="TrainingSandbox"/>. Every setting has a default, so <c>new TrainingSandboxOptions()</c>
/// starts a sandbox that behaves like the real services (100 requests per 5 minutes, 180-day reports, …).
/// </summary>
public sealed class TrainingSandboxOptions
{
    /// <summary>The default <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 20240601;

    /// <summary>
    /// The loopback port (on 127.0.0.1) to listen on. Default 0: a free port chosen by the system, read back from
    /// <see cref="TrainingSandbox.BaseAddress"/>.
    /// </summary>
    public int Port { get; set; }

    /// <summary>The seed of all generated data. Two sandboxes with the same seed and counts serve identical data. Default <see cref="DefaultSeed"/>.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>The API key Symtrain requests must send as <c>Authorization: Bearer &lt;key&gt;</c>. Default <c>sandbox-symtrain-api-key</c>.</summary>
    public string SymtrainApiKey { get; set; } = "sandbox-symtrain-api-key";

    /// <summary>The id of the one Symtrain organization the sandbox holds. Default <c>sandbox-org</c>.</summary>
    public string OrganizationId { get; set; } = "sandbox-org";

    /// <summary>The user name that logs in to Senar (the owner of the Senar collections). Default <c>api@senar-sandbox.example</c>.</summary>
    public string SenarUsername { get; set; } = "api@senar-sandbox.example";

    /// <summary>The Senar password. Default <c>Sandbox2024</c>.</summary>
    public string SenarPassword { get; set; } = "Sandbox2024";

    /// <summary>
    /// How many requests one API key may make per <see cref="SymtrainQuotaWindow"/> before Symtrain answers 429 with
    /// <c>Retry-After</c>. Default 100 (the vendor's limit).
    /// </summary>
    public int SymtrainQuotaLimit { get; set; } = 100;

    /// <summary>The length of a quota window; it opens at the first request. Default 5 minutes (the vendor's window).</summary>
    public TimeSpan SymtrainQuotaWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When false, Symtrain never answers 429 (for benchmarks). Default true.</summary>
    public bool SymtrainQuotaEnabled { get; set; } = true;

    /// <summary>The longest report range, in days with both ends included. Default 180 (the vendor's limit).</summary>
    public int MaxReportRangeDays { get; set; } = 180;

    /// <summary>The first day with report data. Reports have rows for every day from here up to today. Default 2023-01-01.</summary>
    public DateOnly ReportDataStart { get; set; } = new(2023, 1, 1);

    /// <summary>How many trainees the Symtrain organization has. Default 40.</summary>
    public int TraineeCount { get; set; } = 40;

    /// <summary>How many simulations the Symtrain library holds. Default 120.</summary>
    public int SimulationCount { get; set; } = 120;

    /// <summary>How many users the Senar account has (its owner included). Default 50.</summary>
    public int SenarUserCount { get; set; } = 50;

    /// <summary>
    /// How many activities Senar returns before any is added. They are generated on the fly and streamed, so
    /// 200,000 or more cost no memory. Default 1,000.
    /// </summary>
    public int SenarActivityCount { get; set; } = 1_000;

    /// <summary>How long a Senar login token stays valid. Default 1 hour.</summary>
    public TimeSpan SenarTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a bulk import stays SCHEDULED after upload. Default 2 seconds.</summary>
    public TimeSpan BulkImportQueueDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a bulk import stays STARTED before it is COMPLETED or FAILED. Default 3 seconds.</summary>
    public TimeSpan BulkImportProcessingTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one webhook delivery may take (real time: it is network I/O). Default 10 seconds.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of everything the sandbox times: quota windows, tokens, imports, generated dates. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the sandbox logs (requests, webhook deliveries and their failures). Default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Returns every problem with these settings, each naming its setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add($"{nameof(Port)} must be between 0 and 65535 (was {Port}).");
        }

        RequireText(problems, nameof(SymtrainApiKey), SymtrainApiKey);
        RequireText(problems, nameof(OrganizationId), OrganizationId);
        RequireText(problems, nameof(SenarUsername), SenarUsername);
        RequireText(problems, nameof(SenarPassword), SenarPassword);
        RequireRange(problems, nameof(SymtrainQuotaLimit), SymtrainQuotaLimit, 1, int.MaxValue);
        RequirePositive(problems, nameof(SymtrainQuotaWindow), SymtrainQuotaWindow);
        RequireRange(problems, nameof(MaxReportRangeDays), MaxReportRangeDays, 1, 36_500);
        RequireRange(problems, nameof(TraineeCount), TraineeCount, 1, 100_000);
        RequireRange(problems, nameof(SimulationCount), SimulationCount, 1, 100_000);
        RequireRange(problems, nameof(SenarUserCount), SenarUserCount, 2, 100_000);
        RequireRange(problems, nameof(SenarActivityCount), SenarActivityCount, 0, 100_000_000);
        RequirePositive(problems, nameof(SenarTokenLifetime), SenarTokenLifetime);
        RequireNotNegative(problems, nameof(BulkImportQueueDelay), BulkImportQueueDelay);
        RequireNotNegative(problems, nameof(BulkImportProcessingTime), BulkImportProcessingTime);
        RequirePositive(problems, nameof(WebhookTimeout), WebhookTimeout);
        if (TimeProvider is null)
        {
            problems.Add($"{nameof(TimeProvider)} is required.");
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox options: " + string.Join(" ", problems), "options");
        }
    }

    /// <summary>The settings, with the API key and password masked.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TrainingSandboxOptions {{ Port = {Port}, Seed = {Seed}, OrganizationId = {OrganizationId}, SymtrainApiKey = ***, SenarUsername = {SenarUsername}, SenarPassword = ***, SymtrainQuota = {SymtrainQuotaLimit}/{SymtrainQuotaWindow} ({(SymtrainQuotaEnabled ? "on" : "off")}), SenarActivityCount = {SenarActivityCount} }}");

    internal TrainingSandboxOptions Clone() => (TrainingSandboxOptions)MemberwiseClone();

    private static void RequireText(List<string> problems, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{name} is required.");
        }
        else if (value.Any(char.IsWhiteSpace))
        {
            problems.Add($"{name} must not contain white space.");
        }
    }

    private static void RequireRange(List<string> problems, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(max == int.MaxValue ? $"{name} must be at least {min} (was {value})." : $"{name} must be between {min} and {max} (was {value}).");
        }
    }

    private static void RequirePositive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive (was {value}).");
        }
    }

    private static void RequireNotNegative(List<string> problems, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add($"{name} must not be negative (was {value}).");
        }
    }
}
