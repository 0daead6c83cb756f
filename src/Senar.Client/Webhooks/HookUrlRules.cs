using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Senar.Client.Webhooks;

/// <summary>
/// Which hook URLs Senar may be asked to call: an absolute <c>https</c> URL to a public host, without user info. The
/// URL is judged as written, with no DNS lookup: an IP literal in any notation the URI parser accepts (decimal
/// <c>2130706433</c>, hex <c>0x7f.1</c>, octal <c>0177.0.0.1</c>, short <c>127.1</c>, IPv6, IPv4-mapped IPv6) is
/// classified by its address, and names reserved for local use (<c>localhost</c>, <c>*.localhost</c>, single labels,
/// cloud metadata names) are refused. Local addresses are allowed when Senar itself is at a loopback address (the sandbox).
/// Whatever the host: no user info (not even an empty one before '@'), no fragment, no spaces or control characters
/// (unencoded), at most <see cref="MaxLength"/> characters as sent (<see cref="ToSent"/>: an IDN host in its ASCII form).
/// </summary>
internal static class HookUrlRules
{
    /// <summary>
    /// The longest hook URL accepted, in characters (as sent, percent-encoded): 2,048, the length browsers, proxies and
    /// webhook relays such as Zapier reliably carry. Senar publishes no limit.
    /// </summary>
    public const int MaxLength = 2048;

    private static readonly string[] LocalNames =
        ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "metadata.google.internal", "metadata", "instance-data"];

    // Suffixes no public host has: RFC 6761 (.localhost), RFC 6762 (.local), RFC 8375 (.home.arpa), ICANN's private-use .internal.
    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".localdomain", ".internal", ".home.arpa"];

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> and the reason when Senar may not be asked to call <paramref name="hookUrl"/>.</summary>
    public static void ThrowIfNotAllowed(Uri hookUrl, Uri? senarBaseAddress, string paramName)
    {
        ArgumentNullException.ThrowIfNull(hookUrl, paramName);
        var sandbox = senarBaseAddress is { IsAbsoluteUri: true, IsLoopback: true };
        if (GetProblem(hookUrl, sandbox) is { } problem)
        {
            var hint = sandbox || !problem.StartsWith("must point", StringComparison.Ordinal) ? string.Empty : " Local addresses are accepted only when the Senar base address is itself a loopback address (the sandbox).";
            throw new ArgumentException($"The hook URL {problem}{hint}", paramName);
        }
    }

    /// <summary>
    /// The URL as it is sent to Senar: absolute, with an internationalised host in its ASCII (punycode) form, the form the
    /// host was judged in, so that the name Senar resolves is the one checked here.
    /// </summary>
    /// <exception cref="UriFormatException">The host is not a valid internationalised domain name (see <see cref="GetProblem"/>).</exception>
    public static string ToSent(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.HostNameType == UriHostNameType.Dns && !string.Equals(url.Host, url.IdnHost, StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(url) { Host = url.IdnHost }.Uri.AbsoluteUri
            : url.AbsoluteUri;
    }

    /// <summary>Whether the host has an ASCII form: IDNA refuses some hosts (a label over 63 characters as punycode, a name over 255, some characters).</summary>
    private static bool HasIdnForm(Uri url)
    {
        try
        {
            return url.IdnHost is not null;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>Why <paramref name="url"/> may not be registered, or null when it may.</summary>
    public static string? GetProblem(Uri url, bool allowLocal)
    {
        // The URL itself is never quoted: its user info or query may hold a password or a token.
        if (!url.IsAbsoluteUri)
        {
            return "must be an absolute https URL (was a relative URL).";
        }

        // An empty user info ("https://@host/") is still an '@' in the authority, which Senar would pass on.
        if (!string.IsNullOrEmpty(url.UserInfo) || Authority(url.OriginalString).Contains('@', StringComparison.Ordinal))
        {
            return "must not carry user info (a user name or password before '@'): Senar would send it on to the host.";
        }

        // Checked for the sandbox too: these are mistakes whatever the host.
        if (url.OriginalString.Any(static c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "must not contain spaces or control characters; percent-encode them (a space is %20).";
        }

        if (url.OriginalString.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a fragment ('#…'): an HTTP client never sends it, so Senar's calls would arrive without it.";
        }

        if (!HasIdnForm(url))
        {
            return "has a host that is not a valid internationalised domain name (a label longer than 63 characters as punycode, a name longer than 255, or a character IDNA refuses).";
        }

        if (ToSent(url) is { Length: > MaxLength } sent)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {sent.Length:N0} characters long as sent; at most {MaxLength:N0} are accepted.");
        }

        if (url.Scheme != Uri.UriSchemeHttps && !(allowLocal && url.Scheme == Uri.UriSchemeHttp))
        {
            return $"must use https (was scheme '{url.Scheme}').";
        }

        // Port 0 is no port a server listens on (a socket bound to it gets a random one): Senar's calls could never arrive.
        if (url.Port == 0)
        {
            return "must not use port 0, on which nothing can listen.";
        }

        if (allowLocal)
        {
            return null;
        }

        // IdnHost is the name as resolved (NFKC, punycode: "①②⑦.0.0.1" and "１２７。０。０。１" are "127.0.0.1"), checked first for
        // the clearer reason; Host is as written ("[::1]"). Both must pass.
        foreach (var host in (ReadOnlySpan<string>)[url.IdnHost, url.Host])
        {
            if (GetHostProblem(host) is { } reason)
            {
                return $"must point to a public host: {reason}";
            }
        }

        return null;
    }

    /// <summary>The authority of an absolute URL as written: what follows "scheme://" up to the path, query or fragment.</summary>
    private static string Authority(string text)
    {
        var start = text.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        var rest = text.AsSpan(start + 3);
        var end = rest.IndexOfAny("/?#\\");
        return (end < 0 ? rest : rest[..end]).ToString();
    }

    private static string? GetHostProblem(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0)
        {
            return "it names no host.";
        }

        var scope = name.IndexOf('%', StringComparison.Ordinal);
        var literal = scope >= 0 ? name[..scope] : name;
        if (IPAddress.TryParse(literal, out var address) && (literal.Contains(':', StringComparison.Ordinal) || IsIPv4Text(literal)))
        {
            return Classify(address) is { } kind ? $"'{host}' is {kind}." : null;
        }

        if (Array.IndexOf(LocalNames, name) >= 0 || LocalSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)))
        {
            return $"'{host}' is a name for a local or internal host.";
        }

        return name.Contains('.', StringComparison.Ordinal) ? null : $"'{host}' is a single-label name, which only a local network resolves.";
    }

    // Dotted or plain numbers, decimal, octal or hex, as inet_aton reads them: "2130706433", "0x7f.1", "0177.0.0.1".
    private static bool IsIPv4Text(string text) =>
        text.Length > 0 && text.All(static c => char.IsAsciiHexDigit(c) || c is '.' or 'x') && char.IsAsciiDigit(text[0]);

    /// <summary>What kind of non-public address <paramref name="address"/> is, or null for a public one.</summary>
    internal static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyIPv4(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an internet address";
        }

        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out _);
        var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        if (high == 0 && low == 0)
        {
            return "the unspecified address";
        }

        if (high == 0 && low == 1)
        {
            return "a loopback address";
        }

        // An IPv4 address inside IPv6 goes where the IPv4 address goes: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
        // translated (::ffff:0:a.b.c.d, RFC 2765), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
        if (high == 0 && (low >> 32) is 0xFFFF or 0 or 0xFFFF_0000)
        {
            return ClassifyEmbedded((uint)low);
        }

        if (high == 0x0064_FF9B_0000_0000 && (low >> 32) == 0)
        {
            return ClassifyEmbedded((uint)low);
        }

        // Local-use NAT64 (RFC 8215): the network's own translator, with the IPv4 address at a place only it knows.
        if ((high >> 16) == 0x0064_FF9B_0001)
        {
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }

        if ((high >> 48) == 0x2002)
        {
            return ClassifyEmbedded((uint)(high >> 16));
        }

        if (high == 0xFD00_0EC2_0000_0000 && low == 0x254)
        {
            return "a cloud metadata address (AWS)";
        }

        return (high >> 56) switch
        {
            0xFC or 0xFD => "a private (unique local) address",
            0xFF => "a multicast address",
            0xFE when (high >> 54) == (0xFE80 >> 6) => "a link-local address",
            0xFE when (high >> 54) == (0xFEC0 >> 6) => "a site-local address",
            _ when (high >> 32) == 0x2001_0DB8 => "a documentation address",
            _ => null,
        };
    }

    private static string? ClassifyEmbedded(uint ipv4) => ClassifyIPv4(ipv4) is { } kind ? $"an IPv6 form of {kind}" : null;

    private static string? ClassifyIPv4(uint ip)
    {
        if (ip == 0xA9FE_A9FE || ip == 0xA83F_8110)
        {
            return "a cloud metadata address"; // 169.254.169.254 (AWS, Azure, GCP, …), 168.63.129.16 (Azure's host)
        }

        if (ip == 0xFFFF_FFFF)
        {
            return "the broadcast address";
        }

        return (ip >> 24) switch
        {
            0 => ip == 0 ? "the unspecified address" : "a 'this network' address (0.0.0.0/8)",
            10 => "a private address (10.0.0.0/8)",
            127 => "a loopback address",
            >= 224 and < 240 => "a multicast address",
            >= 240 => "a reserved address (240.0.0.0/4)",
            _ when (ip & 0xFFC0_0000) == 0x6440_0000 => "a shared (carrier-grade NAT) address (100.64.0.0/10)",
            _ when (ip & 0xFFFF_0000) == 0xA9FE_0000 => "a link-local address (169.254.0.0/16)",
            _ when (ip & 0xFFF0_0000) == 0xAC10_0000 => "a private address (172.16.0.0/12)",
            _ when (ip & 0xFFFF_0000) == 0xC0A8_0000 => "a private address (192.168.0.0/16)",
            _ when (ip & 0xFFFF_FF00) is 0xC000_0000 => "a reserved address (192.0.0.0/24)",
            _ when (ip & 0xFFFE_0000) == 0xC612_0000 => "a benchmarking address (198.18.0.0/15)",
            _ when (ip & 0xFFFF_FF00) is 0xC000_0200 or 0xC633_6400 or 0xCB00_7100 => "a documentation address",
            _ => null,
        };
    }
}
