using Senar.Client.Tests.TestSupport;
using Senar.Client.Webhooks;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Webhooks;

/// <summary>Hook URLs Senar may be asked to call: absolute https to a public host, judged as written, before anything is sent.</summary>
public sealed class HookUrlRulesTests
{
    [Theory]
    // Loopback, in every IPv4 notation the URI parser accepts, and IPv6.
    [InlineData("http://127.0.0.1:6379/", "https")] // the issue's input: refused for its scheme first
    [InlineData("https://127.0.0.1:6379/", "loopback")]
    [InlineData("https://127.0.0.1./", "loopback")]
    [InlineData("https://2130706433/", "loopback")]
    [InlineData("https://0x7f000001/", "loopback")]
    [InlineData("https://0x7f.1/", "loopback")]
    [InlineData("https://0177.0.0.1/", "loopback")]
    [InlineData("https://0x7f.0x0.0x0.0x1/", "loopback")]
    [InlineData("https://127.1/", "loopback")]
    [InlineData("https://127.0.0.01/", "loopback")]
    [InlineData("https://127.255.255.254/", "loopback")]
    [InlineData("https://[::1]/", "loopback")]
    [InlineData("https://[0:0:0:0:0:0:0:1]/", "loopback")]
    [InlineData("https://[::ffff:127.0.0.1]/", "IPv6 form of a loopback")]
    [InlineData("https://[::ffff:7f00:1]/", "IPv6 form of a loopback")]
    [InlineData("https://[::127.0.0.1]/", "IPv6 form of a loopback")]
    [InlineData("https://[64:ff9b::7f00:1]/", "IPv6 form of a loopback")]
    [InlineData("https://[2002:7f00:1::]/", "IPv6 form of a loopback")]
    [InlineData("https://①②⑦.0.0.1/", "loopback")]
    [InlineData("https://127。0。0。1/", "loopback")]     // ideographic full stops
    [InlineData("https://ｌｏｃａｌｈｏｓｔ/", "local or internal")] // full-width letters
    // Names for the local host or internal networks.
    [InlineData("https://localhost/", "local or internal")]
    [InlineData("https://LOCALHOST./", "local or internal")]
    [InlineData("https://api.localhost/", "local or internal")]
    [InlineData("https://a.b.localhost./", "local or internal")]
    [InlineData("https://printer.local/", "local or internal")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/", "local or internal")]
    [InlineData("https://metadata.google.internal./", "local or internal")]
    [InlineData("https://intranet/", "single-label")]
    // Private, shared, link-local, metadata, unspecified, multicast, broadcast, reserved.
    [InlineData("https://10.1.2.3/", "private")]
    [InlineData("https://172.16.0.1/", "private")]
    [InlineData("https://172.31.255.255/", "private")]
    [InlineData("https://192.168.1.10/", "private")]
    [InlineData("https://3232235786/", "private")]       // 192.168.1.10 as one number
    [InlineData("https://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("https://100.127.255.255/", "carrier-grade NAT")]
    [InlineData("https://169.254.1.1/", "link-local")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("https://0xa9fea9fe/", "metadata")]
    [InlineData("https://[::ffff:169.254.169.254]/", "metadata")]
    [InlineData("https://[fd00:ec2::254]/", "metadata")]
    [InlineData("https://0.0.0.0/", "unspecified")]
    [InlineData("https://0/", "unspecified")]
    [InlineData("https://[::]/", "unspecified")]
    [InlineData("https://0.1.2.3/", "this network")]
    [InlineData("https://224.0.0.1/", "multicast")]
    [InlineData("https://239.255.255.250/", "multicast")]
    [InlineData("https://255.255.255.255/", "broadcast")]
    [InlineData("https://240.0.0.1/", "reserved")]
    [InlineData("https://[fc00::1]/", "unique local")]
    [InlineData("https://[fd12:3456::1]/", "unique local")]
    [InlineData("https://[fe80::1]/", "link-local")]
    [InlineData("https://[fe80::1%25eth0]/", "link-local")]
    [InlineData("https://[febf::1]/", "link-local")]
    [InlineData("https://[ff02::1]/", "multicast")]
    [InlineData("https://[::ffff:10.0.0.1]/", "IPv6 form of a private")]
    [InlineData("https://[::ffff:192.168.0.1]/", "IPv6 form of a private")]
    [InlineData("https://198.51.100.7/", "documentation")]
    // Not https, not absolute, user info.
    [InlineData("ftp://hooks.example.com/", "https")]
    [InlineData("ws://hooks.example.com/", "https")]
    [InlineData("https://user:secret-pw@hooks.example.com/", "user info")]
    [InlineData("https://token@hooks.example.com/", "user info")]
    public async Task Refuses_urls_that_are_not_https_to_a_public_host_before_anything_is_sent(string url, string reason)
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);

        var exception = (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which;
        exception.Message.Should().Contain(reason).And.NotContain("secret-pw").And.NotContain("token@");
        fake.Handler.Count.Should().Be(0, "nothing is sent, not even the login");
    }

    [Theory]
    [InlineData("https://hooks.zapier.com/hooks/catch/123/abc/")]
    [InlineData("https://hooks.example.com./senar")]
    [InlineData("https://93.184.215.14/hook")]
    [InlineData("https://8.8.8.8/")]
    [InlineData("https://172.32.0.1/")]          // just past 172.16.0.0/12
    [InlineData("https://100.128.0.1/")]         // just past 100.64.0.0/10
    [InlineData("https://169.253.255.255/")]
    [InlineData("https://[2606:4700:4700::1111]/")]
    [InlineData("https://[::ffff:8.8.8.8]/")]
    [InlineData("https://localhost.example.com/")]
    [InlineData("https://xn--bcher-kva.example/")]
    [InlineData("https://hooks.example.com:8443/senar?token=abc")]
    public async Task Accepts_https_urls_to_public_hosts(string url)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient();

        var registration = await client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.Activity);

        registration.Id.Should().Be("1");
        SenarFake.ParseBody(fake.ApiRequests.Single()).GetProperty("hookUrl").GetString().Should().Be(new Uri(url).AbsoluteUri);
    }

    [Fact]
    public async Task A_refusal_says_local_hosts_are_for_the_sandbox_only()
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(new Uri("https://127.0.0.1:6379/"), SenarWebhookEvent.User);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Contain("'127.0.0.1' is a loopback address").And.Contain("only when the Senar base address is itself a loopback address");
    }

    [Theory]
    [InlineData("http://127.0.0.1:6379/")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("https://192.168.1.10/hook")]
    public async Task Local_hosts_are_allowed_only_when_the_senar_base_address_is_loopback(string url)
    {
        var sandbox = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        var production = new SenarFake();
        using var sandboxClient = sandbox.CreateClient(o => o.BaseAddress = new Uri("http://localhost:5080/"));
        using var productionClient = production.CreateClient(o => o.BaseAddress = new Uri("https://senar.example.com/"));

        (await sandboxClient.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User)).Id.Should().Be("1");
        var act = () => productionClient.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);
        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl");
        production.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task User_info_is_refused_even_in_the_sandbox()
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient(o => o.BaseAddress = new Uri("http://127.0.0.1:5080/"));

        var act = () => client.Webhooks.RegisterAsync(new Uri("http://user:pw@127.0.0.1:9000/"), SenarWebhookEvent.User);

        (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which.Message.Should().Contain("user info");
        fake.Handler.Count.Should().Be(0);
    }

    public static TheoryData<string, string> MalformedEverywhere() => new()
    {
        { "https://hooks.example.com/a b", "spaces" },
        { "http://127.0.0.1:9000/a b", "spaces" },
        { "https://hooks.example.com/a\tb", "spaces or control characters" },
        { "https://hooks.example.com/" + new string('a', 10_000), "at most 2,048" },
        { "http://127.0.0.1:9000/" + new string('a', 2_100), "at most 2,048" },
        { "https://hooks.example.com:0/senar", "port 0" }, // Fails on main: registered.
        { "https://127.0.0.1:0/hook", "port 0" },
    };

    [Theory]
    [MemberData(nameof(MalformedEverywhere))]
    public async Task Unencoded_spaces_and_overlong_urls_are_refused_in_the_sandbox_too(string url, string reason)
    {
        foreach (var senar in new[] { "http://127.0.0.1:5080/", "https://senar.example.com/" })
        {
            var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
            using var client = fake.CreateClient(o => o.BaseAddress = new Uri(senar));

            var act = () => client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);

            (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which.Message.Should().Contain(reason);
            fake.Handler.Count.Should().Be(0);
        }
    }

    [Fact]
    public async Task A_url_of_exactly_the_maximum_length_is_accepted()
    {
        var prefix = "https://hooks.example.com/";
        var url = new Uri(prefix + new string('a', HookUrlRules.MaxLength - prefix.Length));
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient();

        (await client.Webhooks.RegisterAsync(url, SenarWebhookEvent.User)).Id.Should().Be("1");
        url.AbsoluteUri.Length.Should().Be(HookUrlRules.MaxLength);
    }
}
