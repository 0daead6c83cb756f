using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TrainingApis.Core.Registration;

/// <summary>
/// What the clients' <see cref="IValidateOptions{TOptions}"/> share: each failure names the client when it is a named
/// one; once per name, a warning when two registrations of it set different credentials; and an error when options that
/// were valid are reloaded invalid (nothing else reports it: the options monitor's reload throws into the
/// configuration's change callbacks, and every call then fails with <see cref="OptionsValidationException"/>).
/// </summary>
/// <typeparam name="TOptions">The client's options.</typeparam>
internal sealed class ClientOptionsValidation<TOptions>
    where TOptions : ApiClientOptions, new()
{
    private readonly string _serviceName;
    private readonly ILogger _logger;
    private readonly ClientRegistrations<TOptions>? _registrations;
    private readonly ConcurrentDictionary<string, bool> _checkedNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _lastValid = new(StringComparer.Ordinal);

    /// <param name="serviceName">The API, e.g. <c>Symtrain</c>.</param>
    /// <param name="logger">Where the warnings go.</param>
    /// <param name="registrations">The registrations of the container, when the clients were registered through it.</param>
    public ClientOptionsValidation(string serviceName, ILogger logger, ClientRegistrations<TOptions>? registrations)
    {
        _serviceName = serviceName;
        _logger = logger;
        _registrations = registrations;
    }

    /// <summary>
    /// The prefix of a validation failure of the client <paramref name="optionsName"/>: <c>Symtrain client 'emea': </c>,
    /// empty for the unnamed client (its messages stay as <see cref="ApiClientOptions.Validate"/> writes them).
    /// </summary>
    public static string FailurePrefix(string serviceName, string? optionsName) =>
        string.IsNullOrEmpty(optionsName) ? string.Empty : $"{serviceName} client '{optionsName}': ";

    /// <summary>Validates <paramref name="options"/> of the client <paramref name="name"/>.</summary>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        if (_registrations is not null && _checkedNames.TryAdd(name, true) && _registrations.FindCredentialConflict(name) is { Count: > 1 } sources)
        {
            RegistrationLog.CredentialConflict(_logger, Describe(name), sources.Count, string.Join(", ", sources));
        }

        var errors = options.Validate();
        if (errors.Count == 0)
        {
            _lastValid[name] = true;
            return ValidateOptionsResult.Success;
        }

        var prefix = FailurePrefix(_serviceName, name);
        var failures = prefix.Length == 0 ? errors : [.. errors.Select(e => prefix + e)];

        // Valid before, invalid now: a reload. Logged once; the calls that follow validate again and fail the same way.
        if (_lastValid.TryUpdate(name, false, true))
        {
            RegistrationLog.ReloadedOptionsInvalid(_logger, Describe(name), string.Join(" ", errors));
        }

        return ValidateOptionsResult.Fail(failures);
    }

    private string Describe(string name) =>
        name.Length == 0 ? $"The unnamed {_serviceName} client" : $"{_serviceName} client '{name}'";
}
