using Microsoft.Extensions.DependencyInjection;

namespace TrainingApis.Core.Registration;

/// <summary>
/// Every <c>Add…Client</c> registration of one options type, by options name: where each took its settings from and
/// how. Microsoft.Extensions.Options composes two registrations of one name silently (the last value wins), so a name
/// copied to a second account would send one account's credentials for the other; this is what finds that.
/// </summary>
/// <typeparam name="TOptions">The client's options.</typeparam>
internal sealed class ClientRegistrations<TOptions>
    where TOptions : ApiClientOptions, new()
{
    private readonly Dictionary<string, List<Registration>> _byName = new(StringComparer.Ordinal);
    private readonly Func<TOptions, string?[]> _credentials;

    private ClientRegistrations(Func<TOptions, string?[]> credentials) => _credentials = credentials;

    /// <summary>
    /// The registrations of <paramref name="services"/>, added to it as a singleton the first time.
    /// </summary>
    /// <param name="services">The service collection the clients are registered in.</param>
    /// <param name="credentials">Reads the credential settings of options (the same settings, in the same order, every time).</param>
    public static ClientRegistrations<TOptions> Of(IServiceCollection services, Func<TOptions, string?[]> credentials)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ClientRegistrations<TOptions>) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is ClientRegistrations<TOptions> found)
            {
                return found;
            }
        }

        var created = new ClientRegistrations<TOptions>(credentials);
        services.AddSingleton(created);
        return created;
    }

    /// <summary>Records one registration of the options named <paramref name="optionsName"/>.</summary>
    /// <param name="optionsName">The options name (empty for the unnamed client).</param>
    /// <param name="source">Where the settings come from, for messages: <c>section 'Symtrain:Emea'</c>, <c>delegate</c>.</param>
    /// <param name="configure">Applies this registration's settings alone.</param>
    public void Add(string optionsName, string source, Action<TOptions> configure)
    {
        if (!_byName.TryGetValue(optionsName, out var list))
        {
            _byName[optionsName] = list = [];
        }

        list.Add(new Registration(source, configure));
    }

    /// <summary>
    /// The sources of the registrations of <paramref name="optionsName"/> that set a credential, when two of them set it
    /// to different values; empty otherwise. Each registration is applied alone to fresh options, and only for a name
    /// registered more than once. The values are compared, never returned.
    /// </summary>
    public IReadOnlyList<string> FindCredentialConflict(string optionsName)
    {
        if (!_byName.TryGetValue(optionsName, out var list) || list.Count < 2)
        {
            return [];
        }

        var setting = new List<(string Source, string?[] Credentials)>();
        foreach (var registration in list)
        {
            var options = new TOptions();
            try
            {
                registration.Configure(options);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue; // It fails the same way when the options are built, which reports it.
            }

            var credentials = _credentials(options);
            if (credentials.Any(static c => c is not null))
            {
                setting.Add((registration.Source, credentials));
            }
        }

        var conflict = setting.Count > 1 && Enumerable.Range(0, setting[0].Credentials.Length).Any(i =>
            setting.Select(s => s.Credentials[i]).OfType<string>().Distinct(StringComparer.Ordinal).Skip(1).Any());
        return conflict ? [.. setting.Select(static s => s.Source)] : [];
    }

    private sealed record Registration(string Source, Action<TOptions> Configure);
}
