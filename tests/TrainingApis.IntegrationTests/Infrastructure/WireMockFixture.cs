namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One WireMock server for the whole collection; each test resets it first.</summary>
public sealed class WireMockFixture : IAsyncLifetime
{
    private WireMockServer? _server;

    public WireMockServer Server => _server ?? throw new InvalidOperationException("WireMock is not started.");

    public async Task InitializeAsync() => _server = await WireMockServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "WireMock";
}
