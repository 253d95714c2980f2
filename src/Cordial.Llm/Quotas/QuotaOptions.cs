namespace Cordial.Llm.Quotas;

/// <summary>Settings of the quota stages, bound from configuration section <see cref="SectionName"/>.</summary>
/// <remarks>
/// Every limit is optional (0 = unlimited); with no limit set the stages pass requests through untouched.
/// Validated by <see cref="QuotaOptionsValidator"/>; <see cref="QuotaLedger"/> copies the values when it is created.
/// </remarks>
public sealed class QuotaOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Llm:Quotas";

    /// <summary>Limits of each Discord user.</summary>
    public QuotaLimits User { get; set; } = new();

    /// <summary>Limits of each guild (all its users together).</summary>
    public QuotaLimits Guild { get; set; } = new();

    /// <summary>Limits of every configured provider that has no entry in <see cref="Providers"/>.</summary>
    public QuotaLimits Provider { get; set; } = new();

    /// <summary>Limits of named providers (configured provider names, case-insensitive); they replace <see cref="Provider"/> for that provider.</summary>
    /// <value>Default empty; at most 64 entries.</value>
    public Dictionary<string, QuotaLimits> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Users exempt from the user and guild limits (provider limits still apply to them).</summary>
    /// <value>Default empty; at most 1000 ids.</value>
    public ulong[] AdminUserIds { get; set; } = [];

    /// <summary>Most users, guilds and providers tracked at once; beyond it, new identities are not limited (and a warning is logged).</summary>
    /// <value>Default 1000000; 100 to 100000000. One identity costs about 200 bytes.</value>
    public int MaxTrackedIdentities { get; set; } = 1_000_000;

    /// <summary>Copies these options (limits and lists included).</summary>
    public QuotaOptions Clone() => new()
    {
        User = User?.Clone() ?? new(),
        Guild = Guild?.Clone() ?? new(),
        Provider = Provider?.Clone() ?? new(),
        Providers = new Dictionary<string, QuotaLimits>(
            (Providers ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.Clone() ?? new QuotaLimits())),
            StringComparer.OrdinalIgnoreCase),
        AdminUserIds = AdminUserIds?.ToArray() ?? [],
        MaxTrackedIdentities = MaxTrackedIdentities,
    };
}
