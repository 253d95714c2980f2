namespace Cordial.Bot.Housekeeping;

/// <summary>The housekeeping timer (configuration section "Housekeeping").</summary>
public sealed class HousekeepingOptions
{
    public const string SectionName = "Housekeeping";

    /// <summary>How often every housekeeping task runs (retention, idle rate-limit entries …).</summary>
    /// <value>Default 10 minutes; from 1 second to 1 day.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Returns one message per invalid setting, each naming it; empty when valid.</summary>
    public IEnumerable<string> Validate(string section = SectionName)
    {
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(1))
        {
            yield return $"{section}:Interval must be between 00:00:01 and 1.00:00:00 (was {Interval}).";
        }
    }
}
