using Microsoft.Extensions.Options;

namespace Senar.Client;

/// <summary>Validates <see cref="SenarClientOptions"/> at start-up with <see cref="TrainingApis.Core.ApiClientOptions.Validate"/>.</summary>
internal sealed class SenarClientOptionsValidator : IValidateOptions<SenarClientOptions>
{
    public ValidateOptionsResult Validate(string? name, SenarClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
