using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Caching;

/// <summary>Validates <see cref="CacheOptions"/>; every message names the setting (e.g. <c>Llm:Cache:MaxBytes</c>).</summary>
public sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    internal const int MaxPatterns = 64;
    internal const int MaxPatternLength = 1000;
    internal const int MaxBypassGuilds = 10_000;

    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CacheOptions), errors);
        }
    }

    internal static List<string> GetErrors(CacheOptions o)
    {
        const string S = CacheOptions.SectionName + ":";
        var errors = new List<string>();
        if (o.TimeToLive < TimeSpan.FromSeconds(1) || o.TimeToLive > TimeSpan.FromDays(1))
        {
            errors.Add($"{S}{nameof(o.TimeToLive)} must be between {TimeSpan.FromSeconds(1)} and {TimeSpan.FromDays(1)} (was {o.TimeToLive}).");
        }

        if (o.MaxBytes is < 64 * 1024 or > 4L * 1024 * 1024 * 1024)
        {
            errors.Add($"{S}{nameof(o.MaxBytes)} must be between 65536 (64 KiB) and 4294967296 (4 GiB) (was {o.MaxBytes}).");
        }

        if (o.CompressionThreshold is < 0 or > 1024 * 1024)
        {
            errors.Add($"{S}{nameof(o.CompressionThreshold)} must be between 0 and 1048576 (was {o.CompressionThreshold}).");
        }

        if (o.TimeSensitivePatterns is { } patterns)
        {
            if (patterns.Length > MaxPatterns)
            {
                errors.Add($"{S}{nameof(o.TimeSensitivePatterns)} may hold at most {MaxPatterns} patterns (was {patterns.Length}).");
            }

            for (var i = 0; i < patterns.Length; i++)
            {
                var pattern = patterns[i];
                if (string.IsNullOrWhiteSpace(pattern))
                {
                    errors.Add($"{S}{nameof(o.TimeSensitivePatterns)}:{i} must not be empty.");
                    continue;
                }

                if (pattern.Length > MaxPatternLength)
                {
                    errors.Add($"{S}{nameof(o.TimeSensitivePatterns)}:{i} must be at most {MaxPatternLength} characters (was {pattern.Length}).");
                    continue;
                }

                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{S}{nameof(o.TimeSensitivePatterns)}:{i} is not a valid regular expression: {ex.Message}");
                }
            }
        }

        if (o.BypassGuildIds is null)
        {
            errors.Add($"{S}{nameof(o.BypassGuildIds)} must not be null.");
        }
        else if (o.BypassGuildIds.Length > MaxBypassGuilds)
        {
            errors.Add($"{S}{nameof(o.BypassGuildIds)} may hold at most {MaxBypassGuilds} ids (was {o.BypassGuildIds.Length}).");
        }

        return errors;
    }
}
