using Microsoft.Extensions.Options;

namespace Symtrain.Client.Internal;

/// <summary>Validates <see cref="SymtrainClientOptions"/> at start-up, naming each bad setting.</summary>
internal sealed class SymtrainClientOptionsValidator : IValidateOptions<SymtrainClientOptions>
{
    public ValidateOptionsResult Validate(string? name, SymtrainClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
