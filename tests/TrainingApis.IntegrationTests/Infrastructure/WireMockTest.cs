namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// Base of every WireMock test class: the shared server, reset before each test (file stubs back, per-test stubs gone,
/// scenarios at "Started", journal empty). Derived classes carry <c>[Collection(WireMockCollection.Name)]</c>.
/// </summary>
public abstract class WireMockTest : IAsyncLifetime
{
    protected WireMockTest(WireMockFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Server = fixture.Server;
    }

    protected WireMockServer Server { get; }

    public virtual Task InitializeAsync() => Server.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Asserts that every request the test sent matched a stub: a contract drift shows here first.</summary>
    protected async Task ShouldHaveNoUnmatchedRequestsAsync()
    {
        var unmatched = await Server.GetUnmatchedAsync();
        unmatched.Select(r => $"{r.Method} {r.Url} {r.Body}").Should().BeEmpty("every request the SDK sends has a stub");
    }
}
