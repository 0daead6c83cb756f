using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// What a container tells about its Symtrain clients' registrations: one name registered with two keys (warned, last
/// wins), validation failures naming the client, and options reloaded invalid (logged once, then every call fails).
/// </summary>
public sealed class RegistrationDiagnosticsTests
{
    private const int CredentialConflictEvent = 30;
    private const int ReloadedOptionsInvalidEvent = 31;
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static (ServiceCollection Services, FakeLogCollector Logs, FakeHttpHandler Handler) Container()
    {
        var services = new ServiceCollection();
        var logs = new FakeLogCollector();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        var handler = FakeHttpHandler.Json("[]");
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        return (services, logs, handler);
    }

    private static FakeLogRecord[] Events(FakeLogCollector logs, int id) => [.. logs.GetSnapshot().Where(r => r.Id.Id == id)];

    [Fact]
    public async Task One_name_bound_to_two_sections_warns_once_at_start_up_naming_both_sections_and_the_last_key_wins()
    {
        var configuration = Configuration(("Symtrain:A:ApiKey", "sk_tenant_a"), ("Symtrain:B:ApiKey", "sk_tenant_b"));
        var (services, logs, handler) = Container();
        services.AddSymtrainClient("t", configuration.GetSection("Symtrain:A"));
        services.AddSymtrainClient("t", configuration.GetSection("Symtrain:B"));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredKeyedService<ISymtrainClient>("t");
        await client.Reports.GetUsersAsync(Week);
        await client.Reports.GetSymsAsync(Week);

        var warning = Events(logs, CredentialConflictEvent).Should().ContainSingle().Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Be("Symtrain client 't' is configured by 2 registrations (section 'Symtrain:A', section 'Symtrain:B') that set different credentials: they configure one client, and the last value set wins. Give each account its own client name.");
        logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("sk_tenant", StringComparison.Ordinal));
        handler.Requests.Select(r => r.Authorization).Should().Equal(["Bearer sk_tenant_b", "Bearer sk_tenant_b"], "the options compose: the last registration's key wins");
    }

    [Fact]
    public void A_section_and_a_delegate_with_another_key_warn_naming_both()
    {
        var configuration = Configuration(("Symtrain:Emea:ApiKey", "sk_emea"));
        var (services, logs, _) = Container();
        services.AddSymtrainClient("emea", configuration.GetSection("Symtrain:Emea"));
        services.AddSymtrainClient("emea", o => o.ApiKey = "sk_other");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<ISymtrainClient>("emea");

        Events(logs, CredentialConflictEvent).Should().ContainSingle().Which.Message.Should()
            .StartWith("Symtrain client 'emea' is configured by 2 registrations (section 'Symtrain:Emea', delegate)");
    }

    [Fact]
    public void Two_unnamed_registrations_with_different_keys_warn_too()
    {
        var (services, logs, _) = Container();
        services.AddSymtrainClient(o => o.ApiKey = "sk_first");
        services.AddSymtrainClient(o => o.ApiKey = "sk_second");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Events(logs, CredentialConflictEvent).Should().ContainSingle().Which.Message.Should()
            .StartWith("The unnamed Symtrain client is configured by 2 registrations (delegate, delegate)");
    }

    [Fact]
    public void Registrations_that_agree_on_the_key_or_leave_it_alone_do_not_warn()
    {
        var configuration = Configuration(("Symtrain:ApiKey", "sk_same"));
        var (services, logs, _) = Container();
        services.AddSymtrainClient("same", configuration.GetSection("Symtrain"));
        services.AddSymtrainClient("same", o => o.ApiKey = "sk_same");
        services.AddSymtrainClient("same", o => o.Retry.MaxRetries = 5);
        services.AddSymtrainClient("other", o => o.ApiKey = "sk_other");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetRequiredKeyedService<ISymtrainClient>("same");

        Events(logs, CredentialConflictEvent).Should().BeEmpty();
        provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>().Get("same").Retry.MaxRetries.Should().Be(5);
    }

    [Fact]
    public void Every_failure_of_a_named_client_names_it_and_the_unnamed_client_s_keep_their_text()
    {
        var configuration = Configuration(("Symtrain:Emea:Timeout", "00:00:00"));
        var (services, _, _) = Container();
        services.AddSymtrainClient("emea", configuration.GetSection("Symtrain:Emea"));
        services.AddSymtrainClient("americas", configuration.GetSection("Symtrain:Americas"));
        services.AddSymtrainClient(o => o.ReportPageSize = 0);
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>();

        var startup = () => provider.GetRequiredService<IStartupValidator>().Validate();

        startup.Should().Throw<OptionsValidationException>();
        Failures(() => monitor.Get("emea")).Should().Equal(
            "Symtrain client 'emea': SymtrainClientOptions.Timeout must be positive (was 00:00:00).",
            "Symtrain client 'emea': SymtrainClientOptions.ApiKey is required.");
        Failures(() => monitor.Get("americas")).Should().Equal(
            "Symtrain client 'americas': SymtrainClientOptions.ApiKey is required.",
            "Symtrain client 'americas': The configuration section 'Symtrain:Americas' is missing or empty: the Symtrain client reads its settings (ApiKey, BaseAddress, …) from it.");
        Failures(() => monitor.CurrentValue).Should().Equal(
            "SymtrainClientOptions.ApiKey is required.",
            "SymtrainClientOptions.ReportPageSize must be positive when set (was 0).");
    }

    private static IEnumerable<string> Failures(Func<SymtrainClientOptions> get) =>
        get.Should().Throw<OptionsValidationException>().Which.Failures;

    [Fact]
    public async Task Options_reloaded_invalid_are_logged_once_at_the_reload_and_each_call_then_throws_OptionsValidationException()
    {
        var configuration = Configuration(("Symtrain:Americas:ApiKey", "sk_americas"));
        var (services, logs, handler) = Container();
        services.AddSymtrainClient("americas", configuration.GetSection("Symtrain:Americas"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredKeyedService<ISymtrainClient>("americas");
        await client.Reports.GetUsersAsync(Week);

        configuration["Symtrain:Americas:Timeout"] = "00:00:00";
        Reload(configuration);

        var error = Events(logs, ReloadedOptionsInvalidEvent).Should().ContainSingle("the reload is reported when it happens, before any call").Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().Be("Symtrain client 'americas': the reloaded options are invalid, so every call fails with OptionsValidationException until they are fixed: SymtrainClientOptions.Timeout must be positive (was 00:00:00).");
        error.Message.Should().NotContain("sk_americas");

        var call = () => client.Reports.GetUsersAsync(Week);
        (await call.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Symtrain client 'americas': SymtrainClientOptions.Timeout must be positive");
        await call.Should().ThrowAsync<OptionsValidationException>();
        Events(logs, ReloadedOptionsInvalidEvent).Should().ContainSingle("the calls that fail after the reload log nothing more");

        configuration["Symtrain:Americas:Timeout"] = "00:01:00";
        Reload(configuration);
        await client.Reports.GetUsersAsync(Week);
        handler.Requests.Should().HaveCount(2, "no request was sent while the options were invalid");

        configuration["Symtrain:Americas:Timeout"] = "-00:00:01";
        Reload(configuration);
        Events(logs, ReloadedOptionsInvalidEvent).Should().HaveCount(2, "a new reload to invalid options after valid ones is reported again");
    }

    /// <summary>
    /// Reloads the configuration. The options monitor validates the reloaded options in the configuration's change
    /// callback, so an invalid reload throws out of <see cref="IConfigurationRoot.Reload"/> (from a file watcher it is lost).
    /// </summary>
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
