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
}
