using System.Net;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Users;

public class AccessTokenTests
{
    private const string TokenPath = "/v2/access-api/user/token";

    [Fact]
    public async Task CreateAccessToken_posts_the_ids_and_reads_token_and_expiry()
    {
        using var harness = Harness.Json("""{"token":"tok-secret-123","expiresAt":"2026-01-01T10:00:00Z","scope":"sim"}""");

        var token = await harness.Client.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        Harness.ShouldBeJsonPost(harness.Single, TokenPath);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane@example.com"}""");
        token.Token.Should().Be("tok-secret-123");
        token.ExpiresAt.Should().Be(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Without_an_expiry_the_token_expires_one_hour_after_issue()
    {
        using var harness = Harness.Json("""{"token":"tok-secret-123"}""");
        harness.Time.Advance(TimeSpan.FromMinutes(17));
        var issued = harness.Time.GetUtcNow();

        var token = await harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        token.ExpiresAt.Should().Be(issued.AddHours(1));
        token.IsExpiredAt(issued.AddMinutes(59)).Should().BeFalse();
        token.IsExpiredAt(issued.AddHours(1)).Should().BeTrue();
    }

    [Fact]
    public async Task ExpiresIn_seconds_and_the_accessToken_name_are_understood()
    {
        using var harness = Harness.Json("""{"accessToken":"tok-secret-123","expiresIn":1800}""");
        var issued = harness.Time.GetUtcNow();

        var token = await harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        token.Token.Should().Be("tok-secret-123");
        token.ExpiresAt.Should().Be(issued.AddMinutes(30));
    }

    [Fact]
    public async Task An_answer_without_a_token_is_an_ApiException()
    {
        using var harness = Harness.Json("""{"expiresIn":1800}""");

        var act = () => harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        await act.Should().ThrowAsync<ApiException>().WithMessage("*token*");
    }

    [Fact]
    public void The_token_is_masked_in_ToString()
    {
        var token = new UserAccessToken { Token = "tok-secret-123", ExpiresAt = DateTimeOffset.UnixEpoch };

        token.ToString().Should().NotContain("tok-secret-123").And.Contain("***");
    }

    [Fact]
    public async Task The_token_never_reaches_an_exception_message()
    {
        using var harness = Harness.Json($$"""{"message":"key {{Harness.ApiKey}} refused"}""", status: HttpStatusCode.Forbidden);

        var act = () => harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which.ToString().Should().NotContain(Harness.ApiKey);
    }

    [Theory]
    [InlineData("https://app.symtrain.com/s/1", "https://app.symtrain.com/s/1?token=abc")]
    [InlineData("https://app.symtrain.com/s/1?lang=en", "https://app.symtrain.com/s/1?lang=en&token=abc")]
    [InlineData("https://app.symtrain.com/s/1?token=old&lang=en", "https://app.symtrain.com/s/1?lang=en&token=abc")]
    [InlineData("https://app.symtrain.com/s/1?tok%65n=old", "https://app.symtrain.com/s/1?token=abc")]
    [InlineData("https://app.symtrain.com/s/1?a=1&b=x%20y#step-2", "https://app.symtrain.com/s/1?a=1&b=x%20y&token=abc#step-2")]
    [InlineData("https://app.symtrain.com:8443/s/1?tokenx=1", "https://app.symtrain.com:8443/s/1?tokenx=1&token=abc")]
    public void WithAccessToken_adds_or_replaces_the_parameter_and_keeps_the_rest(string link, string expected)
    {
        using var harness = Harness.Json("{}");

        var result = harness.Client.Users.WithAccessToken(new Uri(link), new UserAccessToken { Token = "abc", ExpiresAt = DateTimeOffset.MaxValue });

        result.AbsoluteUri.Should().Be(expected);
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public void WithAccessToken_encodes_the_value()
    {
        using var harness = Harness.Json("{}");

        var result = harness.Client.Users.WithAccessToken(new Uri("https://app.test/s"), new UserAccessToken { Token = "a+b/c=d&e f", ExpiresAt = DateTimeOffset.MaxValue });

        result.AbsoluteUri.Should().Be("https://app.test/s?token=a%2Bb%2Fc%3Dd%26e%20f");
        System.Web.HttpUtility.ParseQueryString(result.Query)["token"].Should().Be("a+b/c=d&e f");
    }

    [Fact]
    public void WithAccessToken_uses_the_parameter_name_of_the_options()
    {
        using var harness = Harness.Json("{}", o => o.DeepLinkTokenParameter = "accessToken");

        var result = harness.Client.Users.WithAccessToken(new Uri("https://app.test/s?accessToken=old&token=keep"), new UserAccessToken { Token = "new", ExpiresAt = DateTimeOffset.MaxValue });

        result.AbsoluteUri.Should().Be("https://app.test/s?token=keep&accessToken=new");
    }

    [Fact]
    public void WithAccessToken_checks_its_arguments()
    {
        using var harness = Harness.Json("{}");
        var token = new UserAccessToken { Token = "abc", ExpiresAt = DateTimeOffset.MaxValue };

        ((Action)(() => harness.Client.Users.WithAccessToken(new Uri("/s/1", UriKind.Relative), token))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("deepLink");
        ((Action)(() => harness.Client.Users.WithAccessToken(null!, token))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("deepLink");
        ((Action)(() => harness.Client.Users.WithAccessToken(new Uri("https://a.test"), null!))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("token");
        ((Action)(() => harness.Client.Users.WithAccessToken(new Uri("https://a.test"), token with { Token = "" }))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("token");
    }
}
