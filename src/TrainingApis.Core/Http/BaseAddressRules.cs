namespace TrainingApis.Core.Http;

/// <summary>Which addresses credentials may be sent to: https anywhere, plain http only to a loopback host.</summary>
internal static class BaseAddressRules
{
    /// <summary>Returns what is wrong with <paramref name="address"/> (a phrase completing "BaseAddress …"), or null when it is acceptable.</summary>
    public static string? GetProblem(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            return $"must be an absolute URI (was '{address}').";
        }

        if (address.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (address.Scheme == Uri.UriSchemeHttp)
        {
            return address.IsLoopback ? null : $"must use https; plain http is allowed only for loopback hosts (was '{address.GetLeftPart(UriPartial.Authority)}').";
        }

        return $"must use https (was scheme '{address.Scheme}').";
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the address is not acceptable.</summary>
    public static void ThrowIfInvalid(Uri address, string paramName)
    {
        ArgumentNullException.ThrowIfNull(address, paramName);
        if (GetProblem(address) is { } problem)
        {
            throw new ArgumentException($"The address {problem}", paramName);
        }
    }

    /// <summary>
    /// The address with a trailing slash on its path, so that relative request paths are resolved below the whole path
    /// (<c>https://host/api</c> and <c>https://host/api/</c> both send <c>v2/x</c> to <c>https://host/api/v2/x</c>).
    /// </summary>
    internal static Uri WithTrailingSlash(Uri address) =>
        address.IsAbsoluteUri && !address.AbsolutePath.EndsWith('/')
            ? new Uri(address.GetLeftPart(UriPartial.Path) + "/")
            : address;
}
