using Microsoft.Extensions.Options;

namespace Cordial.Llm.Quotas;

/// <summary>Validates <see cref="QuotaOptions"/>; every message names the setting (e.g. <c>Llm:Quotas:User:RequestsPerMinute</c>).</summary>
public sealed class QuotaOptionsValidator : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(QuotaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(QuotaOptions), errors);
        }
    }

    internal static List<string> GetErrors(QuotaOptions o)
    {
        const string S = QuotaOptions.SectionName + ":";
        var errors = new List<string>();
        Check(errors, S + nameof(o.User), o.User);
        Check(errors, S + nameof(o.Guild), o.Guild);
        Check(errors, S + nameof(o.Provider), o.Provider);
        var providers = o.Providers ?? [];
        if (providers.Count > 64)
        {
            errors.Add($"{S}{nameof(o.Providers)} may name at most 64 providers (was {providers.Count}).");
        }

        foreach (var (provider, limits) in providers)
        {
            if (string.IsNullOrWhiteSpace(provider))
            {
                errors.Add($"{S}{nameof(o.Providers)} has an entry without a provider name.");
            }

            Check(errors, $"{S}{nameof(o.Providers)}:{provider}", limits);
        }

        if ((o.AdminUserIds?.Length ?? 0) > 1000)
        {
            errors.Add($"{S}{nameof(o.AdminUserIds)} may hold at most 1000 ids (was {o.AdminUserIds!.Length}).");
        }

        if (o.MaxTrackedIdentities is < 100 or > 100_000_000)
        {
            errors.Add($"{S}{nameof(o.MaxTrackedIdentities)} must be between 100 and 100000000 (was {o.MaxTrackedIdentities}).");
        }

        return errors;
    }

    private static void Check(List<string> errors, string path, QuotaLimits? limits)
    {
        if (limits is null)
        {
            return;
        }

        Range(errors, path, nameof(limits.RequestsPerMinute), limits.RequestsPerMinute, 1_000_000);
        Range(errors, path, nameof(limits.RequestsPerDay), limits.RequestsPerDay, 100_000_000);
        Range(errors, path, nameof(limits.TokensPerMinute), limits.TokensPerMinute, 10_000_000_000);
        Range(errors, path, nameof(limits.TokensPerDay), limits.TokensPerDay, 10_000_000_000);
    }

    private static void Range(List<string> errors, string path, string setting, long value, long max)
    {
        if (value < 0 || value > max)
        {
            errors.Add($"{path}:{setting} must be between 0 (unlimited) and {max} (was {value}).");
        }
    }
}
