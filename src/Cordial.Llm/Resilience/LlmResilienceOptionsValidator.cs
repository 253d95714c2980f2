using Microsoft.Extensions.Options;

namespace Cordial.Llm.Resilience;

/// <summary>Validates <see cref="LlmResilienceOptions"/>; every message names the setting (e.g. <c>Llm:Resilience:MaxRetries</c>).</summary>
/// <remarks>
/// Hand-written rather than <c>[OptionsValidator]</c>-generated because several rules relate two settings
/// (TotalTimeout ≥ FirstTokenTimeout, MaxDelay ≥ BaseDelay) and the messages must name the configuration path.
/// </remarks>
public sealed class LlmResilienceOptionsValidator : IValidateOptions<LlmResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(LlmResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LlmResilienceOptions), errors);
        }
    }

    internal static List<string> GetErrors(LlmResilienceOptions o)
    {
        const string S = LlmResilienceOptions.SectionName + ":";
        var errors = new List<string>();
        Range(errors, S + nameof(o.FirstTokenTimeout), o.FirstTokenTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(errors, S + nameof(o.TotalTimeout), o.TotalTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (o.TotalTimeout < o.FirstTokenTimeout)
        {
            errors.Add($"{S}{nameof(o.TotalTimeout)} ({o.TotalTimeout}) must be at least {S}{nameof(o.FirstTokenTimeout)} ({o.FirstTokenTimeout}).");
        }

        if (o.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{S}{nameof(o.MaxRetries)} must be between 0 and 10 (was {o.MaxRetries}).");
        }

        Range(errors, S + nameof(o.BaseDelay), o.BaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Range(errors, S + nameof(o.MaxDelay), o.MaxDelay, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        if (o.MaxDelay < o.BaseDelay)
        {
            errors.Add($"{S}{nameof(o.MaxDelay)} ({o.MaxDelay}) must be at least {S}{nameof(o.BaseDelay)} ({o.BaseDelay}).");
        }

        Range(errors, S + nameof(o.MaxRetryAfter), o.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        if (!(o.BreakerFailureRatio > 0 && o.BreakerFailureRatio <= 1))
        {
            errors.Add($"{S}{nameof(o.BreakerFailureRatio)} must be greater than 0 and at most 1 (was {o.BreakerFailureRatio}).");
        }

        if (o.BreakerMinimumThroughput < 2)
        {
            errors.Add($"{S}{nameof(o.BreakerMinimumThroughput)} must be at least 2 (was {o.BreakerMinimumThroughput}).");
        }

        Range(errors, S + nameof(o.BreakerSamplingDuration), o.BreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        Range(errors, S + nameof(o.BreakerBreakDuration), o.BreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        return errors;
    }

    private static void Range(List<string> errors, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{setting} must be between {min} and {max} (was {value}).");
        }
    }
}
