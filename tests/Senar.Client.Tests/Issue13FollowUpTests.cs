using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary>Follow-ups of issue 13 on Senar: a transport failure says where the request (or the login) went.</summary>
public sealed class Issue13FollowUpTests
{
    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, "The host name studio.senar.io could not be resolved: check the BaseAddress setting.")]
    [InlineData(HttpRequestError.ConnectionError, "No connection could be made to https://studio.senar.io:443: check the BaseAddress setting")]
    [InlineData(HttpRequestError.SecureConnectionError, "The TLS connection to https://studio.senar.io:443 failed: check the BaseAddress setting")]
    public async Task A_transport_failure_of_a_call_names_where_it_went_and_the_BaseAddress_setting(HttpRequestError error, string hint)
    {
        var fake = new SenarFake(api: _ => throw new HttpRequestException(error, "failed (studio.senar.io:443)"));
        using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);
        await client.Auth.LoginAsync();

        var act = () => fake.Time.RunAsync(client.Users.ListAsync());

        var message = (await act.Should().ThrowAsync<ApiException>()).Which.Message;
        message.Should().StartWith("Senar GET /integration/data/users failed without a usable response from https://studio.senar.io:443: ").And.Contain(hint);
    }

    [Fact]
    public async Task A_transport_failure_of_the_login_names_where_it_went_and_never_the_password()
    {
        var fake = new SenarFake(login: _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (studio.senar.io:443)"));
        using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);

        var act = () => fake.Time.RunAsync(client.Users.ListAsync());

        var message = (await act.Should().ThrowAsync<ApiException>()).Which.Message;
        message.Should().Contain("https://studio.senar.io:443").And.Contain("BaseAddress").And.NotContain(SenarFake.Password);
    }
}
