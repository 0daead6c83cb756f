using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrainingApis.Core.Registration;

namespace Symtrain.Client.Internal;

/// <summary>
/// Validates <see cref="SymtrainClientOptions"/> at start-up and on each reload, naming each bad setting and the named
/// client it belongs to; logs a reload to invalid options, and one name registered with two API keys.
/// </summary>
internal sealed class SymtrainClientOptionsValidator : IValidateOptions<SymtrainClientOptions>
{
    private readonly ClientOptionsValidation<SymtrainClientOptions> _validation;

    public SymtrainClientOptionsValidator(ILoggerFactory? loggerFactory = null, ClientRegistrations<SymtrainClientOptions>? registrations = null) =>
        _validation = new(SymtrainTransport.ServiceName, loggerFactory?.CreateLogger(SymtrainDiagnostics.Name) ?? NullLogger.Instance, registrations);

    public ValidateOptionsResult Validate(string? name, SymtrainClientOptions options) => _validation.Validate(name, options);
}
