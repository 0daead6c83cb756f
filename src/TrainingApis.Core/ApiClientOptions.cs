using TrainingApis.Core.Http;

namespace TrainingApis.Core;

/// <summary>The settings every TrainingApis client shares: address, timeouts, retries, quota and response size.</summary>
/// <remarks>The base of <c>SymtrainClientOptions</c> and <c>SenarClientOptions</c>; only the SDK's own packages derive from it.</remarks>
public abstract class ApiClientOptions
{
    /// <summary>Creates options with the given default base address.</summary>
    private protected ApiClientOptions(Uri defaultBaseAddress)
    {
        BaseAddress = defaultBaseAddress;
    }

    /// <summary>The service's base address. Must be https, except for loopback hosts (a local sandbox or stub server).</summary>
    public Uri BaseAddress { get; set; }

    /// <summary>The whole budget of one call, retries, backoff and quota waits included. Default 10 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The budget of one attempt, until the response is read. Default 100 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How failed attempts are retried.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>The client-side quota.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// The largest response body read into memory, in bytes; a larger one fails with <see cref="ApiException"/>.
    /// Streaming calls of a bare array do not buffer and are not limited; those of an envelope page (such as a Symtrain
    /// report page) read each page whole and are limited per page. Default 64 MiB.
    /// </summary>
    public long MaxResponseBufferSize { get; set; } = 64L * 1024 * 1024;

    /// <summary>The name used for these options in messages, e.g. <c>SymtrainClientOptions</c>.</summary>
    private protected virtual string OptionsName => GetType().Name;

    /// <summary><see cref="OptionsName"/>, for the SDK's own messages.</summary>
    internal string Name => OptionsName;

    /// <summary>Every problem with these settings, each naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var name = OptionsName;
        if (BaseAddress is null)
        {
            errors.Add($"{name}.BaseAddress is required.");
        }
        else if (BaseAddressRules.GetProblem(BaseAddress) is { } problem)
        {
            errors.Add($"{name}.BaseAddress {problem}");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{name}.Timeout must be positive (was {Timeout}).");
        }

        if (AttemptTimeout <= TimeSpan.Zero && AttemptTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{name}.AttemptTimeout must be positive (was {AttemptTimeout}).");
        }

        if (MaxResponseBufferSize <= 0)
        {
            errors.Add($"{name}.MaxResponseBufferSize must be positive (was {MaxResponseBufferSize}).");
        }

        if (Retry is null)
        {
            errors.Add($"{name}.Retry is required.");
        }
        else
        {
            Retry.Validate($"{name}.Retry", errors);
        }

        if (RateLimit is null)
        {
            errors.Add($"{name}.RateLimit is required.");
        }
        else
        {
            RateLimit.Validate($"{name}.RateLimit", errors);
        }

        AddValidationErrors(errors);
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the settings are invalid.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {OptionsName}: {string.Join(" ", errors)}", "options");
        }
    }

    /// <summary>Adds the problems with the settings of a derived class.</summary>
    private protected abstract void AddValidationErrors(List<string> errors);
}
