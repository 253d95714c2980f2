using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tools;

/// <summary>Validates <see cref="ToolOptions"/>; every message names the setting (e.g. <c>Llm:Tools:MaxRounds</c>).</summary>
public sealed class ToolOptionsValidator : IValidateOptions<ToolOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ToolOptions), errors);
        }
    }

    internal static List<string> GetErrors(ToolOptions o)
    {
        const string S = ToolOptions.SectionName + ":";
        var errors = new List<string>();
        if (o.MaxRounds is < 0 or > 16)
        {
            errors.Add($"{S}{nameof(o.MaxRounds)} must be between 0 and 16 (was {o.MaxRounds}).");
        }

        if (o.ToolTimeout < TimeSpan.FromMilliseconds(100) || o.ToolTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{S}{nameof(o.ToolTimeout)} must be between 00:00:00.1 and 00:10:00 (was {o.ToolTimeout}).");
        }

        if (o.MaxCallsPerRound is < 1 or > 64)
        {
            errors.Add($"{S}{nameof(o.MaxCallsPerRound)} must be between 1 and 64 (was {o.MaxCallsPerRound}).");
        }

        return errors;
    }
}
