using Senar.Client.Tests.TestSupport;
using Senar.Client.Webhooks;

namespace Senar.Client.Tests.Webhooks;

/// <summary>More notations of local addresses than the issue names: each is refused before anything is sent.</summary>
public sealed class HookUrlSiblingFormsTests
{
    [Theory]
    [InlineData("https://0X7F000001/")]
    [InlineData("https://127.000.000.001/")]
    [InlineData("https://0177.1/")]
    [InlineData("https://[0::1]/")]
    [InlineData("https://[0000:0000:0000:0000:0000:0000:0000:0001]/")]
    [InlineData("https://[::ffff:7F00:0001]/")]
    [InlineData("https://[::FFFF:10.0.0.1]/")]
    [InlineData("https://LocalHost:8443/")]
    [InlineData("https://x.LOCALHOST/")]
    [InlineData("https://[FE80::1]/")]
    [InlineData("https://169.254.169.254:80/")]
    [InlineData("https://user@localhost/")]
    public async Task Refused_before_anything_is_sent(string url)
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl");
        fake.Handler.Count.Should().Be(0);
    }
}
