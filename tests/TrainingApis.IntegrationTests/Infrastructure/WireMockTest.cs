namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// Base of every stub-server test class: the shared server, reset before each test (file stubs back, per-test stubs
/// gone, scenarios at their start, request log empty). Derived classes carry <c>[Collection(WireMockCollection.Name)]</c>.
/// </summary>
public abstract class WireMockTest : IAsyncLifetime
{
    protected WireMockTest(WireMockFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Server = fixture.Server;
    }

    protected StubServer Server { get; }

    public virtual Task InitializeAsync()
    {
        Server.Reset();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Asserts that every request the test sent matched a stub: a contract drift shows here first.</summary>
    protected void ShouldHaveNoUnmatchedRequests() =>
        Server.Unmatched().Should().BeEmpty("every request the SDK sends has a stub");
}
