using Microsoft.Extensions.Configuration;
using Senar.Client;
using Symtrain.Client;

namespace Quickstart;

/// <summary>
/// Where the settings come from: appsettings.json next to the program, then the environment (both
/// <c>Symtrain__ApiKey</c> and the short names <c>SYMTRAIN_API_KEY</c>, <c>SENAR_USERNAME</c>, <c>SENAR_PASSWORD</c>).
/// </summary>
internal sealed class QuickstartSettings
{
    private static readonly (string Variable, string Key)[] Aliases =
    [
        ("SYMTRAIN_API_KEY", "Symtrain:ApiKey"),
        ("SYMTRAIN_BASE_ADDRESS", "Symtrain:BaseAddress"),
        ("SENAR_USERNAME", "Senar:Username"),
        ("SENAR_PASSWORD", "Senar:Password"),
        ("SENAR_BASE_ADDRESS", "Senar:BaseAddress"),
    ];

    private readonly IConfiguration _configuration;

    private QuickstartSettings(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    public bool HasSymtrainCredentials => !string.IsNullOrWhiteSpace(_configuration["Symtrain:ApiKey"]);

    public bool HasSenarCredentials =>
        !string.IsNullOrWhiteSpace(_configuration["Senar:Username"]) || !string.IsNullOrWhiteSpace(_configuration["Senar:Password"]);

    public string? OrganizationId => Text("Quickstart:OrganizationId");

    public string? UserId => Text("Quickstart:UserId");

    public string? SimulationId => Text("Quickstart:SimulationId");

    public string? SimulationTag => Text("Quickstart:SimulationTag");

    public string? NewUserEmail => Text("Quickstart:NewUserEmail");

    public int SenarCollectionId => int.TryParse(_configuration["Quickstart:SenarCollectionId"], out var id) ? id : 0;

    public Uri? WebhookUrl => Uri.TryCreate(Text("Quickstart:WebhookUrl"), UriKind.Absolute, out var url) ? url : null;

    /// <summary>
    /// The bound of the first call to a real service (<c>Quickstart:ProbeTimeout</c>, default 10 s): its
    /// <c>Timeout</c> and <c>AttemptTimeout</c>, without retries, so that a service that never answers stops the tour
    /// in seconds instead of after the client's full retries and timeouts.
    /// </summary>
    /// <exception cref="ArgumentException">The setting is not a positive time span.</exception>
    public TimeSpan ProbeTimeout =>
        Text("Quickstart:ProbeTimeout") is not { } text
            ? DefaultProbeTimeout
            : TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
                ? value
                : throw new ArgumentException($"Quickstart:ProbeTimeout must be a positive time span such as 00:00:10 (was '{text}').");

    /// <summary>The default of <see cref="ProbeTimeout"/>.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(10);

    public static QuickstartSettings Load()
    {
        var aliases = new Dictionary<string, string?>();
        foreach (var (variable, key) in Aliases)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                aliases[key] = value;
            }
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(aliases)
            .Build();
        return new QuickstartSettings(configuration);
    }

    /// <summary>The real service's options, bound from the <c>Symtrain</c> section (every option can be set there).</summary>
    public SymtrainClientOptions CreateSymtrainOptions()
    {
        var options = new SymtrainClientOptions();
        _configuration.GetSection("Symtrain").Bind(options);
        return options;
    }

    /// <summary>The options of the first call: <see cref="CreateSymtrainOptions"/> bounded by <see cref="ProbeTimeout"/>, without retries.</summary>
    public SymtrainClientOptions CreateSymtrainProbeOptions() => Probe(CreateSymtrainOptions());

    /// <summary>The options of the first call: <see cref="CreateSenarOptions"/> bounded by <see cref="ProbeTimeout"/>, without retries.</summary>
    public SenarClientOptions CreateSenarProbeOptions() => Probe(CreateSenarOptions());

    /// <summary>The real service's options, bound from the <c>Senar</c> section.</summary>
    public SenarClientOptions CreateSenarOptions()
    {
        var options = new SenarClientOptions();
        _configuration.GetSection("Senar").Bind(options);
        return options;
    }

    private T Probe<T>(T options)
        where T : TrainingApis.Core.ApiClientOptions
    {
        options.Timeout = ProbeTimeout;
        options.AttemptTimeout = ProbeTimeout;
        options.Retry.MaxRetries = 0;
        return options;
    }

    private string? Text(string key) => _configuration[key] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
