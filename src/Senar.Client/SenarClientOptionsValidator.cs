using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrainingApis.Core.Registration;

namespace Senar.Client;

/// <summary>
/// Validates <see cref="SenarClientOptions"/> at start-up and on each reload, naming each bad setting and the named
/// client it belongs to; logs a reload to invalid options, and one name registered with two accounts.
/// </summary>
internal sealed class SenarClientOptionsValidator : IValidateOptions<SenarClientOptions>
{
    private readonly ClientOptionsValidation<SenarClientOptions> _validation;

    public SenarClientOptionsValidator(ILoggerFactory? loggerFactory = null, ClientRegistrations<SenarClientOptions>? registrations = null) =>
        _validation = new(SenarDiagnostics.ServiceName, loggerFactory?.CreateLogger(SenarDiagnostics.Name) ?? NullLogger.Instance, registrations);

    public ValidateOptionsResult Validate(string? name, SenarClientOptions options) => _validation.Validate(name, options);
}
