using Senar.Client.Tests.TestSupport;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

public sealed class SenarClientTests
{
    [Fact]
    public void Builds_without_dependency_injection()
    {
        using var client = new SenarClient(new SenarClientOptions { Username = "api-user@example.com", Password = "S3cret-pass!" });

        client.Auth.Should().NotBeNull();
        client.Users.Should().NotBeNull();
        client.Activities.Should().NotBeNull();
        client.Webhooks.Should().NotBeNull();
        ((ISenarClient)client).Should().BeAssignableTo<IDisposable>();
    }

    [Fact]
    public void Refuses_null_options()
    {
        var act = () => new SenarClient(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Refuses_invalid_options_naming_every_bad_setting()
    {
        var act = () => new SenarClient(new SenarClientOptions { BaseAddress = new Uri("http://senar.example") });

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("SenarClientOptions.Username").And.Contain("SenarClientOptions.Password").And.Contain("SenarClientOptions.BaseAddress");
    }

    [Fact]
    public async Task Keeps_the_path_of_a_base_address()
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient(o => o.BaseAddress = new Uri("http://127.0.0.1:5080/senar"));

        await client.Users.ListAsync();

        fake.Handler.Requests.Select(r => r.Uri!.ToString()).Should().Equal(
            "http://127.0.0.1:5080/senar/api/auth/login",
            "http://127.0.0.1:5080/senar/integration/data/users");
    }

    [Fact]
    public async Task Does_not_dispose_a_handler_it_was_given()
    {
        var handler = new DisposeTrackingHandler(FakeHttpHandler.Json("""{"Token": "t"}"""));
        var client = new SenarClient(SenarFake.Options(), handler, FakeTime.Create());

        await client.Auth.LoginAsync();
        client.Dispose();

        handler.Disposed.Should().BeFalse();
    }

    private sealed class DisposeTrackingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
