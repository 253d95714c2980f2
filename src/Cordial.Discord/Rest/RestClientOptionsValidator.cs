using Microsoft.Extensions.Options;

namespace Cordial.Discord.Rest;

/// <summary>Validates <see cref="RestClientOptions"/> for the options pattern (use with ValidateOnStart).</summary>
public sealed class RestClientOptionsValidator : IValidateOptions<RestClientOptions>
{
    public ValidateOptionsResult Validate(string? name, RestClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
