using System.Globalization;
using System.Text;
using TrainingApis.Core;

namespace Symtrain.Client;

/// <summary>
/// The settings of a <see cref="SymtrainClient"/>: address, API key, report range, quota (100 requests per 5 minutes by
/// default), retries, timeouts and the bulk import wait. <see cref="ToString"/> masks the API key.
/// </summary>
public sealed class SymtrainClientOptions : ApiClientOptions
{
    /// <summary>The production address of the Symtrain API: <c>https://api.symtrain.com</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.symtrain.com");

    /// <summary>The largest report range the API accepts: 180 days.</summary>
    public static readonly TimeSpan DefaultMaxReportRange = TimeSpan.FromDays(180);

    /// <summary>Creates options with the defaults.</summary>
    public SymtrainClientOptions()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>
    /// The API key issued by Symtrain support, sent as <c>Authorization: Bearer &lt;key&gt;</c>. Required. It is read on
    /// every request, so a rotated key applies without a restart (through <c>IOptionsMonitor</c> with dependency
    /// injection, or by setting this property on the instance a hand-built client was given).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The longest range one report request may cover, in whole days; longer ranges are refused before sending
    /// (<c>StreamReportAsync</c> splits them into windows of this length). Default 180 days, the API's limit.
    /// </summary>
    public TimeSpan MaxReportRange { get; set; } = DefaultMaxReportRange;

    /// <summary>The query parameter that carries a user access token on a deep link. Default <c>token</c>.</summary>
    public string DeepLinkTokenParameter { get; set; } = "token";

    /// <summary>
    /// The rows per page a report request asks for, sent as <c>pageSize</c> in the JSON body with the dates from the
    /// first page on (where Symtrain reads it is an assumption: docs/wire-format.md). Larger pages mean fewer requests
    /// against the quota. Default null: the server decides, and later pages repeat the size it answered.
    /// </summary>
    public int? ReportPageSize { get; set; }

    /// <summary>The page size <c>ListLibraryAsync</c> asks for when the query sets none. Default 50.</summary>
    public int LibraryPageSize { get; set; } = 50;

    /// <summary>
    /// The most pages one listing (a report window, the library) may take before the client concludes the server is
    /// ignoring paging and stops with an <see cref="ApiException"/>. Default 10,000.
    /// </summary>
    public int MaxPages { get; set; } = 10_000;

    /// <summary>The first wait between two polls of <c>WaitForBulkImportAsync</c>; each next wait doubles. Default 5 seconds.</summary>
    public TimeSpan BulkImportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two polls of <c>WaitForBulkImportAsync</c>. Default 1 minute.</summary>
    public TimeSpan BulkImportMaxPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long <c>WaitForBulkImportAsync</c> waits for a task to finish before it throws <see cref="TimeoutException"/>.
    /// Default 30 minutes.
    /// </summary>
    public TimeSpan BulkImportWaitTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The largest value one field of a bulk import file may hold, in bytes of UTF-8: a longer value is refused before
    /// anything is uploaded, and a CSV file is not read past a record that cannot fit this many bytes per column.
    /// Default 65,536 (64 KiB).
    /// </summary>
    public int BulkImportMaxFieldBytes { get; set; } = DefaultBulkImportMaxFieldBytes;

    /// <summary>
    /// The largest bulk import file, in bytes: a caller's CSV is not read past this many bytes, and an upload that would
    /// be larger (the file the SDK writes, per batch for <c>BulkImportInBatchesAsync</c>) is refused before anything is
    /// sent. Default 16,777,216 (16 MiB).
    /// </summary>
    public int BulkImportMaxFileBytes { get; set; } = DefaultBulkImportMaxFileBytes;

    /// <summary>The default of <see cref="BulkImportMaxFieldBytes"/>: 65,536 bytes (64 KiB).</summary>
    public const int DefaultBulkImportMaxFieldBytes = 64 * 1024;

    /// <summary>The default of <see cref="BulkImportMaxFileBytes"/>: 16,777,216 bytes (16 MiB).</summary>
    public const int DefaultBulkImportMaxFileBytes = 16 * 1024 * 1024;

    /// <summary>The name of the API key setting, as messages name it.</summary>
    internal const string ApiKeySetting = nameof(SymtrainClientOptions) + "." + nameof(ApiKey);

    /// <summary><see cref="MaxReportRange"/> in whole days.</summary>
    internal int MaxReportDays => (int)Math.Min(int.MaxValue, Math.Floor(MaxReportRange.TotalDays));

    /// <inheritdoc/>
    private protected override void AddValidationErrors(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const string name = nameof(SymtrainClientOptions);
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            errors.Add($"{name}.{nameof(ApiKey)} is required.");
        }
        else if (ApiKey.Any(char.IsControl) || ApiKey.Any(char.IsWhiteSpace))
        {
            errors.Add($"{name}.{nameof(ApiKey)} must not contain whitespace or control characters.");
        }

        if (MaxReportRange < TimeSpan.FromDays(1))
        {
            errors.Add($"{name}.{nameof(MaxReportRange)} must be at least one day (was {MaxReportRange}).");
        }

        if (string.IsNullOrWhiteSpace(DeepLinkTokenParameter))
        {
            errors.Add($"{name}.{nameof(DeepLinkTokenParameter)} is required.");
        }
        else if (DeepLinkTokenParameter.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '&' or '=' or '#' or '?'))
        {
            errors.Add($"{name}.{nameof(DeepLinkTokenParameter)} must not contain whitespace, control characters, '&', '=', '#' or '?' (was '{DeepLinkTokenParameter}').");
        }

        if (ReportPageSize is <= 0)
        {
            errors.Add($"{name}.{nameof(ReportPageSize)} must be positive when set (was {ReportPageSize}).");
        }

        if (LibraryPageSize <= 0)
        {
            errors.Add($"{name}.{nameof(LibraryPageSize)} must be positive (was {LibraryPageSize}).");
        }

        if (MaxPages <= 0)
        {
            errors.Add($"{name}.{nameof(MaxPages)} must be positive (was {MaxPages}).");
        }

        if (BulkImportPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{name}.{nameof(BulkImportPollInterval)} must be positive (was {BulkImportPollInterval}).");
        }

        if (BulkImportMaxPollInterval < BulkImportPollInterval)
        {
            errors.Add($"{name}.{nameof(BulkImportMaxPollInterval)} must be at least {nameof(BulkImportPollInterval)} (was {BulkImportMaxPollInterval}).");
        }

        if (BulkImportWaitTimeout <= TimeSpan.Zero && BulkImportWaitTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{name}.{nameof(BulkImportWaitTimeout)} must be positive (was {BulkImportWaitTimeout}).");
        }

        if (BulkImportMaxFieldBytes <= 0)
        {
            errors.Add($"{name}.{nameof(BulkImportMaxFieldBytes)} must be positive (was {BulkImportMaxFieldBytes}).");
        }

        if (BulkImportMaxFileBytes <= 0)
        {
            errors.Add($"{name}.{nameof(BulkImportMaxFileBytes)} must be positive (was {BulkImportMaxFileBytes}).");
        }
    }

    /// <summary>Describes the settings with the API key masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(nameof(SymtrainClientOptions)).Append(" { ");
        text.Append(CultureInfo.InvariantCulture, $"BaseAddress = {BaseAddress}, ");
        text.Append("ApiKey = ").Append(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***").Append(", ");
        text.Append(CultureInfo.InvariantCulture, $"MaxReportRange = {MaxReportRange}, ");
        text.Append(CultureInfo.InvariantCulture, $"RateLimit = {(RateLimit is { Enabled: true } limit ? $"{limit.PermitLimit} per {limit.Window}" : "off")}, ");
        text.Append(CultureInfo.InvariantCulture, $"Retry = {Retry?.MaxRetries} retries, ");
        text.Append(CultureInfo.InvariantCulture, $"Timeout = {Timeout}, AttemptTimeout = {AttemptTimeout}, ");
        text.Append(CultureInfo.InvariantCulture, $"DeepLinkTokenParameter = {DeepLinkTokenParameter} }}");
        return text.ToString();
    }
}
