namespace TrainingApis.Sandbox;

/// <summary>
/// A running local emulator of the Symtrain v2 and Senar APIs, on one loopback port. Start one inside your tests
/// (<c>await using var sandbox = await TrainingSandbox.StartAsync();</c>), point the clients at
/// <see cref="BaseAddress"/> with the credentials it exposes, and dispose it to stop it.
/// </summary>
/// <remarks>
/// Symtrain is served under <c>/v2/…</c>, Senar under <c>/api/auth/login</c> and <c>/integration/data/…</c>, and the
/// sandbox's control endpoints under <c>/_sandbox/…</c>. The seed data is deterministic: the same
/// <see cref="TrainingSandboxOptions.Seed"/> gives the same organization, users, simulations, report rows and activities.
/// </remarks>
public sealed class TrainingSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxRuntime _runtime;
    private int _stopped;
    private int _disposed;

    private TrainingSandbox(WebApplication app, SandboxRuntime runtime)
    {
        _app = app;
        _runtime = runtime;
        var symtrain = runtime.Symtrain.Seed;
        TraineeUsername = symtrain.FeaturedTrainee.Username;
        SimulationId = symtrain.FeaturedSimulation.SimulationId;
        SimulationTag = symtrain.FeaturedSimulation.Tags[0];
        SenarCollectionId = runtime.Senar.Seed.Collections[0].CollectionId;
    }

    /// <summary>The sandbox's address, e.g. <c>http://127.0.0.1:54321/</c>: the base address of both clients.</summary>
    public Uri BaseAddress => _runtime.BaseAddress;

    /// <summary>The API key Symtrain accepts (<c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public string SymtrainApiKey => _runtime.Options.SymtrainApiKey;

    /// <summary>The user name that logs in to Senar.</summary>
    public string SenarUsername => _runtime.Options.SenarUsername;

    /// <summary>The password that logs in to Senar.</summary>
    public string SenarPassword => _runtime.Options.SenarPassword;

    /// <summary>The id of the Symtrain organization.</summary>
    public string OrganizationId => _runtime.Options.OrganizationId;

    /// <summary>
    /// The username (the Symtrain <c>userId</c>) of a seeded trainee. On <see cref="SimulationId"/> it has three
    /// executions: the first and third complete, the second incomplete.
    /// </summary>
    public string TraineeUsername { get; }

    /// <summary>The id of a seeded simulation in the library.</summary>
    public string SimulationId { get; }

    /// <summary>A tag <see cref="SimulationId"/> carries, shared by several simulations (for the tags form of deep links and library filters).</summary>
    public string SimulationTag { get; }

    /// <summary>The id of a seeded Senar collection the account owns (for <c>user_assign</c>).</summary>
    public int SenarCollectionId { get; }

    /// <summary>The settings the sandbox runs with (a copy: changing it changes nothing).</summary>
    public TrainingSandboxOptions Options => _runtime.Options.Clone();

    /// <summary>Starts a sandbox on 127.0.0.1 and returns once it accepts requests.</summary>
    /// <param name="options">The settings; the defaults when null. They are validated and copied.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A setting is invalid (every problem is named).</exception>
    public static async Task<TrainingSandbox> StartAsync(TrainingSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new TrainingSandboxOptions()).Clone();
        options.ThrowIfInvalid();
        var runtime = new SandboxRuntime(options);
        WebApplication? app = null;
        try
        {
            app = SandboxApp.Build(runtime);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            runtime.BaseAddress = SandboxApp.GetBaseAddress(app);
            return new TrainingSandbox(app, runtime);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            runtime.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening, after letting running requests and webhook deliveries finish (briefly).</summary>
    /// <param name="cancellationToken">Makes the stop ungraceful.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _runtime.Webhooks.DrainAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Stops the sandbox and releases its port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _runtime.Dispose();
    }

    /// <summary>The address and the seeded ids; the key and password are masked.</summary>
    public override string ToString() =>
        $"TrainingSandbox {{ BaseAddress = {BaseAddress}, OrganizationId = {OrganizationId}, SymtrainApiKey = ***, SenarUsername = {SenarUsername}, SenarPassword = ***, TraineeUsername = {TraineeUsername}, SimulationId = {SimulationId}, SenarCollectionId = {SenarCollectionId} }}";
}
