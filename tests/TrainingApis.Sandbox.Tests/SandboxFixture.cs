namespace TrainingApis.Sandbox.Tests;

/// <summary>One sandbox with the default settings and the system clock, shared by the tests of a class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public TrainingSandbox Sandbox { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string Key => Sandbox.SymtrainApiKey;

    public string Org => Sandbox.OrganizationId;

    public string Trainee => Sandbox.TraineeUsername;

    public async Task InitializeAsync()
    {
        Sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainQuotaEnabled = false });
        Client = ApiCall.ClientFor(Sandbox);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }

    public Task<ApiResult> SymtrainAsync(string path, string json) => ApiCall.PostAsync(Client, path, json, Key);
}
