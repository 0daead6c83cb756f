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
    public void Null_empty_and_short_secrets_are_ignored()
    {
        SecretMasker.Mask("a b abc", [null, string.Empty, "abc"]).Should().Be("a b abc");
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
