namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One stub server (WireMock.Net, in process) for the whole collection; each test resets it first.</summary>
public sealed class WireMockFixture : IDisposable
{
    public StubServer Server { get; } = StubServer.Start();

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class WireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "WireMock";
}
