using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

/// <summary>
/// What a container tells about its Senar clients' registrations: one name registered with two accounts (warned, last
/// wins), validation failures naming the client, and options reloaded invalid (logged once, then every call fails).
/// </summary>
public sealed class RegistrationDiagnosticsTests
{
    private const int CredentialConflictEvent = 30;
    private const int ReloadedOptionsInvalidEvent = 31;

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static (ServiceCollection Services, FakeLogCollector Logs, SenarFake Fake) Container()
    {
        var services = new ServiceCollection();
        var logs = new FakeLogCollector();
        var fake = new SenarFake();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(fake.Time);
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => fake.Handler));
        return (services, logs, fake);
    }

    private static FakeLogRecord[] Events(FakeLogCollector logs, int id) => [.. logs.GetSnapshot().Where(r => r.Id.Id == id)];

    [Fact]
    public async Task One_name_bound_to_two_accounts_warns_once_naming_both_sources_and_the_last_account_logs_in()
    {
        var configuration = Configuration(
            ("Senar:North:Username", "north@example.com"), ("Senar:North:Password", "North-pass-1"),
            ("Senar:South:Username", "south@example.com"), ("Senar:South:Password", "South-pass-2"));
        var (services, logs, fake) = Container();
        services.AddSenarClient("academy", configuration.GetSection("Senar:North"));
        services.AddSenarClient("academy", configuration.GetSection("Senar:South"));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        await provider.GetRequiredKeyedService<ISenarClient>("academy").Users.ListAsync();

        var warning = Events(logs, CredentialConflictEvent).Should().ContainSingle().Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().StartWith("Senar client 'academy' is configured by 2 registrations (section 'Senar:North', section 'Senar:South') that set different credentials");
        logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("-pass-", StringComparison.Ordinal) || r.Message.Contains("@example.com", StringComparison.Ordinal));
        fake.Handler.Requests[0].Body.Should().Contain("south@example.com", "the options compose: the last registration's account wins");
    }

    [Fact]
    public void A_password_set_twice_differently_warns_and_the_same_account_set_twice_does_not()
    {
        var (services, logs, _) = Container();
        services.AddSenarClient("rotated", o => (o.Username, o.Password) = ("a@example.com", "Old-pass-1"));
        services.AddSenarClient("rotated", o => o.Password = "New-pass-2");
        services.AddSenarClient("same", o => (o.Username, o.Password) = ("b@example.com", "Same-pass-1"));
        services.AddSenarClient("same", o => (o.Username, o.Password, o.Retry.MaxRetries) = ("b@example.com", "Same-pass-1", 5));
        services.AddSenarClient(o => (o.Username, o.Password) = ("c@example.com", "C-pass-1"));
        services.AddSenarClient(o => o.Username = "d@example.com");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Events(logs, CredentialConflictEvent).Select(r => r.Message[..r.Message.IndexOf(" that", StringComparison.Ordinal)]).Should().BeEquivalentTo(
            "Senar client 'rotated' is configured by 2 registrations (delegate, delegate)",
            "The unnamed Senar client is configured by 2 registrations (delegate, delegate)");
    }

    [Fact]
    public void Every_failure_of_a_named_client_names_it_and_the_unnamed_client_s_keep_their_text()
    {
        var configuration = Configuration(("Senar:Academy:Username", "academy@example.com"), ("Senar:Academy:Timeout", "00:00:00"));
        var (services, _, _) = Container();
        services.AddSenarClient("academy", configuration.GetSection("Senar:Academy"));
        services.AddSenarClient("missing", configuration.GetSection("Senar:Missing"));
        services.AddSenarClient(o => o.Username = "x@example.com");
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<SenarClientOptions>>();

        Failures(() => monitor.Get("academy")).Should().Equal(
            "Senar client 'academy': SenarClientOptions.Timeout must be positive (was 00:00:00).",
            "Senar client 'academy': SenarClientOptions.Password is required (the Senar account password).");
        Failures(() => monitor.Get("missing")).Should().HaveCount(3).And.OnlyContain(f => f.StartsWith("Senar client 'missing': ", StringComparison.Ordinal))
            .And.Contain("Senar client 'missing': The configuration section 'Senar:Missing' is missing or empty: the Senar client reads its settings (Username, Password, BaseAddress, …) from it.");
        Failures(() => monitor.CurrentValue).Should().Equal("SenarClientOptions.Password is required (the Senar account password).");
    }

    private static IEnumerable<string> Failures(Func<SenarClientOptions> get) =>
        get.Should().Throw<OptionsValidationException>().Which.Failures;

    [Fact]
    public async Task Options_reloaded_invalid_are_logged_once_at_the_reload_and_each_call_then_throws_OptionsValidationException()
    {
        var configuration = Configuration(("Senar:Username", SenarFake.Username), ("Senar:Password", SenarFake.Password));
        var (services, logs, fake) = Container();
        services.AddSenarClient(configuration.GetSection("Senar"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredService<ISenarClient>();
        await client.Users.ListAsync();

        configuration["Senar:Retry:MaxRetries"] = "500";
        Reload(configuration);

        var error = Events(logs, ReloadedOptionsInvalidEvent).Should().ContainSingle().Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().StartWith("The unnamed Senar client: the reloaded options are invalid, so every call fails with OptionsValidationException until they are fixed: SenarClientOptions.Retry.MaxRetries must be between 0 and 100");
        error.Message.Should().NotContain(SenarFake.Password);
        var call = () => client.Activities.ListAsync();
        await call.Should().ThrowAsync<OptionsValidationException>();
        await call.Should().ThrowAsync<OptionsValidationException>();
        Events(logs, ReloadedOptionsInvalidEvent).Should().ContainSingle();
        fake.Handler.Requests.Should().HaveCount(2, "a login and one list before the reload, nothing after it");
    }

    /// <summary>Reloads; the options monitor's validation of invalid reloaded options throws out of the change callback.</summary>
    private static void Reload(IConfigurationRoot configuration)
    {
        try
        {
            configuration.Reload();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
        }
    }
}
