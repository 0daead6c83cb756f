using System.Net.Http.Headers;

namespace TrainingApis.Core.Http;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;key&gt;</c> with a key read on every request, so a rotated key applies without a
/// restart. Refuses to send the key over plain http to a host that is not loopback.
/// </summary>
internal sealed class BearerKeyHandler : DelegatingHandler
{
    private readonly Func<string?> _key;
    private readonly string _settingName;

    /// <summary>Creates the handler.</summary>
    /// <param name="key">Returns the current key.</param>
    /// <param name="settingName">The setting named when the key is missing, e.g. <c>SymtrainClientOptions.ApiKey</c>.</param>
    public BearerKeyHandler(Func<string?> key, string settingName)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _settingName = settingName;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecureTransport.ThrowIfInsecure(request);
        var key = _key();
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException($"No API key is configured: set {_settingName}.");
        }

        if (HasWhiteSpaceOrControl(key))
        {
            // A key changed after start-up (rotation) is checked here, never quoted: a line break would split the header.
            throw new InvalidOperationException($"The configured API key contains whitespace or control characters: check {_settingName}.");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return base.SendAsync(request, cancellationToken);
    }

    // A loop, not LINQ: this runs on every request, and Any over a string allocates an enumerator.
    private static bool HasWhiteSpaceOrControl(string key)
    {
        foreach (var c in key)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }
}
