using System.Globalization;
using TrainingApis.Core;
using TrainingApis.Core.Http;

namespace Senar.Client;

/// <summary>
/// Settings of a <see cref="SenarClient"/>: the address, the account's <see cref="Username"/> and
/// <see cref="Password"/>, and the shared timeout, retry and quota settings of <see cref="ApiClientOptions"/>.
/// </summary>
/// <remarks>
/// Senar publishes no rate limit, so the client-side quota (<see cref="ApiClientOptions.RateLimit"/>) is off by default;
/// set <c>RateLimit.Enabled = true</c> with a <c>PermitLimit</c> and <c>Window</c> to apply one (shared per username).
/// <see cref="ToString"/> never shows the password.
/// </remarks>
public sealed class SenarClientOptions : ApiClientOptions
{
    /// <summary>The Senar production address, <c>https://studio.senar.io</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://studio.senar.io/");

    /// <summary>Creates options with the default address and the quota turned off.</summary>
    public SenarClientOptions()
        : base(DefaultBaseAddress)
    {
        RateLimit = new RateLimitOptions { Enabled = false };
    }

    /// <summary>The login of the Senar account (issued by Senar support; usually an email address). Required.</summary>
    public string? Username { get; set; }

    /// <summary>The password of the Senar account. Required. A secret: never logged or shown by <see cref="ToString"/>.</summary>
    public string? Password { get; set; }

    /// <inheritdoc/>
    private protected override string OptionsName => nameof(SenarClientOptions);

    /// <summary>Describes the settings with the password masked.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{nameof(SenarClientOptions)} {{ BaseAddress = {BaseAddress}, Username = {Username ?? "(not set)"}, Password = {(string.IsNullOrEmpty(Password) ? "(not set)" : "***")}, Timeout = {Timeout}, AttemptTimeout = {AttemptTimeout}, Retry.MaxRetries = {Retry?.MaxRetries}, RateLimit.Enabled = {RateLimit?.Enabled} }}");

    /// <inheritdoc/>
    private protected override void AddValidationErrors(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(Username))
        {
            errors.Add($"{nameof(SenarClientOptions)}.{nameof(Username)} is required (the Senar account login).");
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors.Add($"{nameof(SenarClientOptions)}.{nameof(Password)} is required (the Senar account password).");
        }
    }

    /// <summary>The base address with a trailing slash, so that relative paths keep any path it has.</summary>
    internal Uri GetNormalizedBaseAddress() => BaseAddressRules.WithTrailingSlash(BaseAddress);
}
