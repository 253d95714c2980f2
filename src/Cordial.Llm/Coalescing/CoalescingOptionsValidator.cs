using Microsoft.Extensions.Options;

namespace Cordial.Llm.Coalescing;

/// <summary>Validates <see cref="CoalescingOptions"/>; every message names the setting (e.g. <c>Llm:Coalescing:MaxInFlight</c>).</summary>
public sealed class CoalescingOptionsValidator : IValidateOptions<CoalescingOptions>
{
    public ValidateOptionsResult Validate(string? name, CoalescingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(CoalescingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CoalescingOptions), errors);
        }
    }

    internal static List<string> GetErrors(CoalescingOptions o)
    {
        const string S = CoalescingOptions.SectionName + ":";
        var errors = new List<string>();
        if (o.MaxInFlight is < 1 or > 100_000)
        {
            errors.Add($"{S}{nameof(o.MaxInFlight)} must be between 1 and 100000 (was {o.MaxInFlight}).");
        }

        if (o.MaxBufferedUpdates is < 16 or > 1_000_000)
        {
            errors.Add($"{S}{nameof(o.MaxBufferedUpdates)} must be between 16 and 1000000 (was {o.MaxBufferedUpdates}).");
        }

        return errors;
    }
}
