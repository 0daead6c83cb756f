using TrainingApis.Core.Http;

namespace TrainingApis.Core.Tests.Http;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Every_occurrence_of_every_secret_is_masked()
    {
        var text = SecretMasker.Mask("key=abcd1234 again abcd1234, pw hunter22", ["abcd1234", "hunter22"]);

        text.Should().Be("key=*** again ***, pw ***");
    }

    [Fact]
    public void Null_and_empty_secrets_are_ignored_and_short_ones_masked_only_where_they_stand_alone()
    {
        SecretMasker.Mask("a b abc abcd", [null, string.Empty, "abc"]).Should().Be("a b *** abcd");
        SecretMasker.Mask("text", null).Should().Be("text");
        SecretMasker.Mask(string.Empty, ["secret"]).Should().BeEmpty();
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        var act = () => SecretMasker.Mask(null!, ["x"]);

        act.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData("""{"p":"p\u00E4ss\u002Bw\u003Crd/\u0022x"}""")] // System.Text.Json's default encoder
    [InlineData("""{"p":"p\u00e4ss+w<rd\/\"x"}""")] // PHP json_encode
    [InlineData("""{"p":"p\u00e4ss+w<rd/\"x"}""")] // Python json.dumps
    [InlineData("""{"p":"päss+w<rd/\"x"}""")] // minimal escaping
    public void A_secret_is_masked_in_json_whatever_the_escaping(string json)
    {
        SecretMasker.Mask(json, ["päss+w<rd/\"x"]).Should().Be("""{"p":"***"}""");
    }

    [Fact]
    public void Mask_masks_plain_occurrences_and_leaves_other_text()
    {
        SecretMasker.Mask("key abcd-1234 and \\n other", ["abcd-1234"]).Should().Be("key *** and \\n other");
        SecretMasker.Mask("a.b*c", ["x.y*z"]).Should().Be("a.b*c", "secrets are matched literally, not as patterns");
        SecretMasker.Mask("no secrets", null).Should().Be("no secrets");
    }
}

/// <summary>Issue 14, "Secrets outside the body": every encoded form of a secret is masked.</summary>
public sealed class SecretMaskerEncodingTests
{
    private const string Password = "S\u00EBcret+Pass&word1";

    public static TheoryData<string, string> Forms()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Password);
        var base64 = Convert.ToBase64String(bytes);
        var upper = Uri.EscapeDataString(Password);
        return new TheoryData<string, string>
        {
            { "raw", Password },
            { "URL-encoded, upper-case hex", upper },
            { "URL-encoded, lower-case hex", System.Text.RegularExpressions.Regex.Replace(upper, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()) },
            { "form-encoded", System.Net.WebUtility.UrlEncode(Password) },
            { "JSON, System.Text.Json", System.Text.Json.JsonSerializer.Serialize(Password).Trim('"') },
            { "HTML", System.Net.WebUtility.HtmlEncode(Password) },
            { "HTML, numeric", "S&#235;cret&#43;Pass&#x26;word1" },
            { "Base64", base64 },
            { "Base64 without padding", base64.TrimEnd('=') },
            { "Base64, URL-safe", base64.TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        };
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_of_a_secret_is_masked(string form, string echoed)
    {
        var text = $"login refused for {echoed} (request gw-{echoed})";

        var masked = SecretMasker.Mask(text, [Password]);

        masked.Should().Be("login refused for *** (request gw-***)", form);
    }

    [Theory]
    [InlineData("pass word 42x", "pass+word+42x")]
    [InlineData("pass word 42x", "pass%20word%2042x")]
    [InlineData("pass word 42x", "pass\\u0020word 42x")]
    public void A_space_is_masked_as_plus_or_percent_20(string secret, string echoed)
    {
        SecretMasker.Mask($"x={echoed}&y=1", [secret]).Should().Be("x=***&y=1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("u:")]
    [InlineData("us:")]
    [InlineData("user:")]
    [InlineData("api-user@example.com:")]
    public void A_secret_inside_a_longer_base64_text_is_masked_at_every_alignment(string prefix)
    {
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(prefix + Password + ":tail"));

        var masked = SecretMasker.Mask($"Authorization: Basic {basic}", [Password]);

        masked.Should().Contain("***");
        var left = masked["Authorization: Basic ".Length..];
        foreach (var piece in left.Split("***"))
        {
            // What is left around the mask is at most the few characters that mix the secret's bits with its neighbours'.
            piece.Length.Should().BeLessThan(basic.Length - 16);
        }
    }

    [Fact]
    public void Text_without_the_secret_is_returned_as_is()
    {
        const string text = "S%C3%ABcret-Pass word1 and c2VjcmV0 and \\u0053";

        SecretMasker.Mask(text, [Password]).Should().BeSameAs(text);
    }
}
