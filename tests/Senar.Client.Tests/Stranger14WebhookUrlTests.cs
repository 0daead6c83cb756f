using System.Net;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Webhooks;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

/// <summary>
/// Issue 14, tried "after you": hook URLs in notations, forms and shapes the first tests did not try. Every refusal is
/// an <see cref="ArgumentException"/> naming <c>hookUrl</c>, thrown before anything is sent (not even the login).
/// </summary>
public sealed class Stranger14WebhookUrlTests
{
    private static async Task<ArgumentException> RefusedAsync(Uri url, string? senarBase = null)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient(o => o.BaseAddress = senarBase is null ? o.BaseAddress : new Uri(senarBase));

        var act = () => client.Webhooks.RegisterAsync(url, SenarWebhookEvent.Activity);

        var error = (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which;
        fake.Handler.Count.Should().Be(0, "nothing is sent, not even the login");
        return error;
    }

    [Theory]
    // Every IPv4 notation, with a trailing dot, a port, upper case.
    [InlineData("https://2130706433./", "loopback")]
    [InlineData("https://0x7f.1./", "loopback")]
    [InlineData("https://0X7F.0.0.1/", "loopback")]
    [InlineData("https://0177.0.0.1:8443/", "loopback")]
    [InlineData("https://127.1./", "loopback")]
    [InlineData("https://127.0.1/", "loopback")]
    [InlineData("https://017700000001/", "loopback")]          // one octal number
    [InlineData("https://0x7f.0.0.0x1/", "loopback")]
    [InlineData("https://0x0a.0x0.0x0.0x1/", "private")]       // 10.0.0.1 in hex
    [InlineData("https://012.1/", "private")]                  // 10.0.0.1 in octal, short
    [InlineData("https://0xac.16.1/", "private")]               // 172.16.0.1
    [InlineData("https://0xc0a80001/", "private")]             // 192.168.0.1
    [InlineData("https://100.100.100.200/", "carrier-grade NAT")] // Alibaba's metadata
    [InlineData("https://192.0.0.192/", "reserved")]          // Oracle's metadata
    [InlineData("https://168.63.129.16/", "metadata")]        // Azure's host
    [InlineData("https://0/", "unspecified")]
    [InlineData("https://0x0/", "unspecified")]
    [InlineData("https://0.0.0.0./", "unspecified")]
    // IPv6: mapped, compatible, translated, NAT64, 6to4, zone ids, full forms.
    [InlineData("https://[0:0:0:0:0:ffff:7f00:1]/", "loopback")]
    [InlineData("https://[::ffff:0:7f00:1]/", "loopback")]           // IPv4-translated (RFC 2765)
    [InlineData("https://[::ffff:0:a00:1]/", "private")]
    [InlineData("https://[64:ff9b:1::a9fe:a9fe]/", "NAT64")]          // local-use NAT64 (RFC 8215)
    [InlineData("https://[::ffff:a9fe:a9fe]/", "metadata")]
    [InlineData("https://[::ffff:0.0.0.0]/", "unspecified")]
    [InlineData("https://[2002:a9fe:a9fe::1]/", "metadata")]
    [InlineData("https://[::1%251]/", "loopback")]
    [InlineData("https://[fe80::1%25eth0]:8443/", "link-local")]
    [InlineData("https://[fe80:0:0:0:0:0:0:1]/", "link-local")]
    [InlineData("https://[fd00::1]/", "unique local")]
    [InlineData("https://[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/", "unique local")]
    [InlineData("https://[fc00::]/", "unique local")]
    [InlineData("https://[::]/", "unspecified")]
    [InlineData("https://[0::0]/", "unspecified")]
    // Names.
    [InlineData("https://LOCALHOST./", "local or internal")]
    [InlineData("https://foo.localhost/", "local or internal")]
    [InlineData("https://foo.localhost./", "local or internal")]
    [InlineData("https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", "local or internal")]           // circled letters: NFKC makes them 'localhost'
    [InlineData("https://metadata.google.internal./computeMetadata/v1/", "local or internal")]
    [InlineData("https://METADATA.GOOGLE.INTERNAL/", "local or internal")]
    [InlineData("https://instance-data/", "local or internal")]
    [InlineData("https://host.home.arpa/", "local or internal")]
    [InlineData("https://router./", "single-label")]
    // Backslashes, which Uri reads as slashes for http(s), as a browser does.
    [InlineData("https:\\\\127.0.0.1/", "loopback")]
    [InlineData("https://[::ffff:127.0.0.1%25eth0]/", "loopback")]
    public async Task Local_addresses_in_every_notation_are_refused(string url, string reason)
    {
        var error = await RefusedAsync(new Uri(url));

        error.Message.Should().Contain(reason);
    }

    [Theory]
    [InlineData("https://@hooks.example.com/senar")]          // empty user info: still an '@' Senar would pass on
    [InlineData("https://:@hooks.example.com/senar")]
    [InlineData("https://user:pass%40word@hooks.example.com/")]
    [InlineData("https://hooks.example.com@127.0.0.1/")]     // what looks like the host is the user name
    [InlineData("https://hooks.example.com%2F@127.0.0.1/")]
    public async Task User_info_in_any_form_is_refused_and_never_quoted(string url)
    {
        var error = await RefusedAsync(new Uri(url));

        error.Message.Should().Contain("user info").And.NotContain("pass%40word").And.NotContain("hooks.example.com@");
    }

    [Theory]
    [InlineData("https://hooks.example.com/senar#token=abc")]
    [InlineData("https://hooks.example.com/senar#")]
    public async Task A_fragment_is_refused_because_no_http_client_sends_it(string url)
    {
        var error = await RefusedAsync(new Uri(url));

        error.Message.Should().Contain("fragment").And.NotContain("token=abc");
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://hooks.example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:ops@example.com")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task Other_schemes_and_hostless_urls_are_refused(string url)
    {
        var error = await RefusedAsync(new Uri(url));

        error.Message.Should().MatchRegex("https|host");
    }

    [Theory]
    [InlineData("/hooks/senar")]
    [InlineData("hooks.example.com/senar")]
    [InlineData("//hooks.example.com/senar")]
    [InlineData("")]
    public async Task Relative_urls_are_refused(string url)
    {
        var error = await RefusedAsync(new Uri(url, UriKind.Relative));

        error.Message.Should().Contain("absolute");
    }

    [Fact]
    public async Task The_length_bound_counts_the_url_as_sent_with_its_idn_host_in_ascii()
    {
        // 'ü' hosts are sent as punycode, longer than their Unicode form: the bound counts what Senar receives.
        var prefix = "https://" + new string('ü', 10) + ".example/";
        var url = new Uri(prefix + new string('a', HookUrlRules.MaxLength - prefix.Length));
        url.AbsoluteUri.Length.Should().Be(HookUrlRules.MaxLength);

        var error = await RefusedAsync(url);

        error.Message.Should().Contain("as sent; at most 2,048");
    }

    [Fact]
    public async Task A_host_that_has_no_valid_ascii_form_is_refused_as_an_argument_not_a_uri_format_error()
    {
        // Twenty labels of twenty 'ü': a name over 255 characters as punycode, for which Uri.IdnHost throws.
        var host = string.Join(".", Enumerable.Repeat(new string('ü', 20), 20)) + ".example";

        var error = await RefusedAsync(new Uri("https://" + host + "/hook"));

        error.Message.Should().Contain("not a valid internationalised domain name");
    }

    [Theory]
    [InlineData("https://bücher.example/hook")]
    [InlineData("https://xn--bcher-kva.example/hook")]
    [InlineData("https://BÜCHER.example/hook")]
    public async Task An_idn_host_is_accepted_and_sent_in_its_ascii_form(string url)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient();

        await client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);

        SenarFake.ParseBody(fake.ApiRequests.Single()).GetProperty("hookUrl").GetString().Should().Be("https://xn--bcher-kva.example/hook");
    }

    [Theory]
    [InlineData("https://127.0.0.1.nip.io/")]   // resolves to 127.0.0.1, but only DNS knows: no lookup is made
    [InlineData("https://0x7f.example.com/")]
    [InlineData("https://localhost.example.com./")]
    [InlineData("https://[2001:4860:4860::8888]/")]
    [InlineData("https://[::ffff:93.184.215.14]/")]
    [InlineData("https://1.1.1.1/")]
    [InlineData("https://16843009/")]            // 1.1.1.1 as one number: public
    [InlineData("https://hooks.example.com/users/@me?from=a@b.example")] // an '@' after the authority is not user info
    public async Task Public_hosts_in_any_notation_are_accepted_without_a_dns_lookup(string url)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient();

        (await client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User)).Id.Should().Be("1");
    }

    [Theory]
    [InlineData("http://[::1]:9000/hook", "http://[::1]:5080/")]
    [InlineData("http://10.0.0.5/hook", "http://127.0.0.1:5080/")]
    [InlineData("http://localhost/hook", "http://localhost:5080/")]
    public async Task Local_hosts_are_allowed_when_senar_is_on_loopback(string url, string senarBase)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient(o => o.BaseAddress = new Uri(senarBase));

        (await client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User)).Id.Should().Be("1");
    }

    [Theory]
    [InlineData("https://senar.example.com/")]
    [InlineData("https://10.0.0.2/")]             // a private Senar is not the sandbox
    [InlineData("https://localhost.example.com/")]
    public async Task Local_hosts_are_refused_when_senar_is_not_on_loopback(string senarBase)
    {
        foreach (var url in new[] { "https://127.0.0.1/hook", "http://localhost/hook", "https://[::1]/hook", "https://10.0.0.5/hook" })
        {
            await RefusedAsync(new Uri(url), senarBase);
        }
    }

    [Theory]
    [InlineData("https://hooks.example.com/a#b")]
    [InlineData("http://user@127.0.0.1:9000/")]
    [InlineData("javascript:alert(1)")]
    public async Task Mistakes_whatever_the_host_are_refused_in_the_sandbox_too(string url)
    {
        await RefusedAsync(new Uri(url), "http://127.0.0.1:5080/");
    }

    // ---- Registration's unknown fate ----

    public static TheoryData<string, HttpRequestError> AfterConnecting() => new()
    {
        { "reset", HttpRequestError.ResponseEnded },
        { "invalid response", HttpRequestError.InvalidResponse },
        { "unknown", HttpRequestError.Unknown },
    };

    [Theory]
    [MemberData(nameof(AfterConnecting))]
    public async Task A_registration_that_broke_after_connecting_is_unknown_not_transient_and_sent_once(string kind, HttpRequestError error)
    {
        var fake = new SenarFake(api: _ => throw new HttpRequestException(error, kind, new IOException(kind)));
        using var client = fake.CreateClient(o => o.Retry = new RetryOptions { MaxRetries = 3 });

        var act = () => fake.Time.RunAsync(client.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.User));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("outcome is unknown");
        fake.ApiRequests.Should().ContainSingle();
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task A_5xx_answer_to_a_registration_is_unknown_and_not_retried(HttpStatusCode status)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("{}", status));
        using var client = fake.CreateClient(o => o.Retry = new RetryOptions { MaxRetries = 3 });

        var act = () => fake.Time.RunAsync(client.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.User));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("outcome is unknown");
        fake.ApiRequests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_registration_refused_before_connecting_is_transient_and_retried()
    {
        var fake = new SenarFake(api: _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new IOException("refused")));
        using var client = fake.CreateClient(o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var act = () => fake.Time.RunAsync(client.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.User));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeTrue();
        exception.Message.Should().NotContain("outcome is unknown");
        fake.ApiRequests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_senar_assign_that_broke_after_connecting_is_retried_because_repeating_it_is_harmless()
    {
        // user_assign adds an existing user to the collection again ("isNewUser": false): docs/errors.md says so.
        var fake = new SenarFake(api: _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "reset", new IOException("reset")));
        using var client = fake.CreateClient(o => o.Retry = new RetryOptions { MaxRetries = 1 });
        var request = new Senar.Client.Users.UserAssignment
        {
            Email = "ann@example.com",
            FirstName = "Ann",
            LastName = "Lee",
            Password = "abcdef1",
            Organization = "Acme",
            CollectionId = 7,
        };

        var act = () => fake.Time.RunAsync(client.Users.AssignCollectionAsync(request));

        (await act.Should().ThrowAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
        fake.ApiRequests.Should().HaveCount(2);
    }
}
