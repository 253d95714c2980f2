using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Quotas;

/// <summary>
/// The quota state of every user, guild and provider, shared by <see cref="QuotaChatClient"/> (users and guilds) and
/// <see cref="ProviderQuotaChatClient"/> (providers), and read by /stats (<see cref="GetAllowance"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each limit is a token bucket kept as one number (see <see cref="QuotaBucket"/> for why). A check is O(1): a
/// lock-free map lookup and a short lock on that identity's entry (a few integer operations, never across an await);
/// it allocates nothing once the identity is known. User and guild limits are checked and charged together (both
/// allow the request or neither is charged).
/// </para>
/// <para>
/// Persistence (when an <see cref="IQuotaStateStore"/> is given): <see cref="RestoreAsync"/> at start,
/// <see cref="RunWriteBehindAsync"/> writes the changed entries every <see cref="FlushInterval"/> in one batch, and
/// <see cref="FlushAsync"/> once more at a graceful stop; a kill loses at most the last interval's counts.
/// <see cref="Prune"/> (called by the host's housekeeping timer) forgets identities whose buckets are all full again,
/// in memory at once and in the store with the next write.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed partial class QuotaLedger
{
    /// <summary>How often changed state is written to the store.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ulong, QuotaEntry> _users = new();
    private readonly ConcurrentDictionary<ulong, QuotaEntry> _guilds = new();
    private readonly ConcurrentDictionary<string, QuotaEntry> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly QuotaPlan _userLimits;
    private readonly QuotaPlan _guildLimits;
    private readonly QuotaPlan _providerDefault;
    private readonly FrozenDictionary<string, QuotaPlan> _providerLimits;
    private readonly FrozenSet<ulong> _admins;
    private readonly int _maxTracked;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long>? _refusals;
    private readonly Counter<long>? _writeFailures;
    private readonly Lock _flushGate = new();
    private Task _flushTail = Task.CompletedTask;
    private int _tracked;
    private int _fullWarned;
    private long _pendingPrune;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (the message names it).</exception>
    public QuotaLedger(QuotaOptions? options = null, TimeProvider? timeProvider = null, LlmMetrics? metrics = null, IQuotaStateStore? store = null, ILogger<QuotaLedger>? logger = null)
    {
        options = options?.Clone() ?? new QuotaOptions();
        QuotaOptionsValidator.ThrowIfInvalid(options);
        _userLimits = new QuotaPlan(options.User);
        _guildLimits = new QuotaPlan(options.Guild);
        _providerDefault = new QuotaPlan(options.Provider);
        _providerLimits = options.Providers.ToFrozenDictionary(p => p.Key, p => new QuotaPlan(p.Value), StringComparer.OrdinalIgnoreCase);
        _admins = options.AdminUserIds.ToFrozenSet();
        _maxTracked = options.MaxTrackedIdentities;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Store = store;
        LimitsRequesters = _userLimits.Any || _guildLimits.Any;
        LimitsProviders = _providerDefault.Any || _providerLimits.Values.Any(l => l.Any);

        if (metrics is not null)
        {
            var meter = metrics.Meter;
            _refusals = meter.CreateCounter<long>(QuotaTelemetryConstants.Refusals, "{request}", "Requests refused by a quota, by scope and limit.");
            _writeFailures = meter.CreateCounter<long>(QuotaTelemetryConstants.WriteFailures, "{write}", "Failed writes of quota state (retried on the next flush).");
            meter.CreateObservableGauge(QuotaTelemetryConstants.TrackedIdentities, () => Volatile.Read(ref _tracked), "{identity}", "Users, guilds and providers with quota state in memory.");
        }
    }

    /// <summary>The store state is restored from and written to (null = in memory only).</summary>
    public IQuotaStateStore? Store { get; }

    /// <summary>Whether any user or guild limit is set.</summary>
    public bool LimitsRequesters { get; }

    /// <summary>Whether any provider limit is set.</summary>
    public bool LimitsProviders { get; }

    /// <summary>Users, guilds and providers with state in memory.</summary>
    public int TrackedCount => Volatile.Read(ref _tracked);

    /// <summary>Whether <paramref name="userId"/> is exempt from user and guild limits.</summary>
    public bool IsAdmin(ulong userId) => _admins.Contains(userId);

    /// <summary>
    /// Checks the user's and the guild's limits and, when every one allows it, counts one request against both.
    /// Token limits refuse only once used up (the cost is charged after the answer, <see cref="ChargeTokens"/>).
    /// </summary>
    /// <returns>False with the limit that refused (the one to wait longest for) when any does.</returns>
    internal bool TryAcquire(ulong? userId, ulong? guildId, out QuotaRefusal refusal)
    {
        refusal = default;
        var admin = userId.HasValue && _admins.Count > 0 && _admins.Contains(userId.GetValueOrDefault());
        var userLimited = userId.HasValue && _userLimits.Any && !admin;
        var guildLimited = guildId.HasValue && _guildLimits.Any && !admin;
        if (!userLimited && !guildLimited)
        {
            return true;
        }

        var now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            var user = userLimited ? GetEntry(_users, userId.GetValueOrDefault()) : null;
            var guild = guildLimited ? GetEntry(_guilds, guildId.GetValueOrDefault()) : null;
            if (user is null && guild is null)
            {
                return true; // not tracked (the map is full)
            }

            var found = false;
            var worst = default(QuotaRefusal);
            user?.Gate.Enter();
            try
            {
                guild?.Gate.Enter();
                try
                {
                    if (user is { Removed: true } || guild is { Removed: true })
                    {
                        continue; // pruned meanwhile: look it up again
                    }

                    Check(user, _userLimits, QuotaScope.User, now, ref found, ref worst);
                    Check(guild, _guildLimits, QuotaScope.Guild, now, ref found, ref worst);
                    if (!found)
                    {
                        TakeRequest(user, _userLimits, now);
                        TakeRequest(guild, _guildLimits, now);
                    }
                }
                finally
                {
                    guild?.Gate.Exit();
                }
            }
            finally
            {
                user?.Gate.Exit();
            }

            if (found)
            {
                refusal = worst;
                Refused(worst);
                return false;
            }

            return true;
        }
    }

    /// <summary>Checks <paramref name="provider"/>'s limits and, when they allow it, counts one request against it.</summary>
    internal bool TryAcquireProvider(string provider, out QuotaRefusal refusal)
    {
        refusal = default;
        var limits = LimitsOf(provider);
        if (!limits.Any)
        {
            return true;
        }

        var now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            var entry = GetEntry(_providers, provider);
            if (entry is null)
            {
                return true;
            }

            var found = false;
            var worst = default(QuotaRefusal);
            lock (entry.Gate)
            {
                if (entry.Removed)
                {
                    continue;
                }

                Check(entry, limits, QuotaScope.Provider, now, ref found, ref worst);
                if (!found)
                {
                    TakeRequest(entry, limits, now);
                }
            }

            if (found)
            {
                refusal = worst;
                Refused(worst);
                return false;
            }

            return true;
        }
    }

    /// <summary>
    /// Gives back the request <see cref="TryAcquire"/> counted, for a request that never reached a model (every
    /// provider of its chain refused it for quota).
    /// </summary>
    internal void Refund(ulong? userId, ulong? guildId)
    {
        if (userId.HasValue && _admins.Count > 0 && _admins.Contains(userId.GetValueOrDefault()))
        {
            return;
        }

        if (userId.HasValue && _userLimits.Any && _users.TryGetValue(userId.GetValueOrDefault(), out var user))
        {
            GiveBack(user, _userLimits);
        }

        if (guildId.HasValue && _guildLimits.Any && _guilds.TryGetValue(guildId.GetValueOrDefault(), out var guild))
        {
            GiveBack(guild, _guildLimits);
        }

        static void GiveBack(QuotaEntry entry, QuotaPlan limits)
        {
            lock (entry.Gate)
            {
                // "Full at" may drop below now: that is a full bucket, exactly like a fresh entry.
                if (limits.RequestsPerMinute > 0)
                {
                    entry.RequestsPerMinute -= limits.MinuteRequestCost;
                }

                if (limits.RequestsPerDay > 0)
                {
                    entry.RequestsPerDay -= limits.DayRequestCost;
                }

                entry.Dirty = true;
            }
        }
    }

    /// <summary>Charges tokens a request used (as reported by the provider) to its user and guild.</summary>
    internal void ChargeTokens(ulong? userId, ulong? guildId, long tokens)
    {
        if (tokens <= 0 || (userId.HasValue && _admins.Contains(userId.GetValueOrDefault())))
        {
            return;
        }

        var now = _time.GetUtcNow().UtcTicks;
        if (userId.HasValue && HasTokenLimit(_userLimits))
        {
            Charge(_users, userId.GetValueOrDefault(), _userLimits, now, tokens);
        }

        if (guildId.HasValue && HasTokenLimit(_guildLimits))
        {
            Charge(_guilds, guildId.GetValueOrDefault(), _guildLimits, now, tokens);
        }
    }

    /// <summary>Charges tokens a request used to <paramref name="provider"/>.</summary>
    internal void ChargeProviderTokens(string provider, long tokens)
    {
        var limits = LimitsOf(provider);
        if (tokens > 0 && HasTokenLimit(limits))
        {
            Charge(_providers, provider, limits, _time.GetUtcNow().UtcTicks, tokens);
        }
    }

    /// <summary>What <paramref name="userId"/> may still use now, the tighter of the user's and the guild's limits; null = unlimited.</summary>
    public QuotaAllowance GetAllowance(ulong userId, ulong? guildId = null)
    {
        if (_admins.Contains(userId))
        {
            return new QuotaAllowance(null, null, null, Exempt: true);
        }

        var now = _time.GetUtcNow().UtcTicks;
        _users.TryGetValue(userId, out var user);
        QuotaEntry? guild = null;
        if (guildId is { } g)
        {
            _guilds.TryGetValue(g, out guild);
        }

        long? Left(QuotaLimit limit)
        {
            var fromUser = Remaining(user, _userLimits, limit, now);
            var fromGuild = guildId is null ? null : Remaining(guild, _guildLimits, limit, now);
            return fromUser is null ? fromGuild : fromGuild is null ? fromUser : Math.Min(fromUser.Value, fromGuild.Value);
        }

        return new QuotaAllowance(Left(QuotaLimit.RequestsPerMinute), Left(QuotaLimit.RequestsPerDay), Left(QuotaLimit.TokensPerDay), Exempt: false);
    }

    /// <summary>
    /// Forgets every identity whose buckets are all full at <paramref name="now"/> (its state says nothing a fresh one
    /// would not: at most a day after its last use, later only when it overspent tokens). The store forgets them with
    /// the next write. Meant for the host's housekeeping timer.
    /// </summary>
    /// <returns>How many identities were forgotten.</returns>
    public int Prune(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        var removed = PruneMap(_users, ticks) + PruneMap(_guilds, ticks) + PruneMap(_providers, ticks);
        long pending;
        do
        {
            pending = Volatile.Read(ref _pendingPrune);
        }
        while (pending < ticks && Interlocked.CompareExchange(ref _pendingPrune, ticks, pending) != pending);

        return removed;
    }

    /// <summary>Loads the stored state (merged with anything counted before it arrived: the later "full at" wins).</summary>
    /// <returns>How many entries were restored.</returns>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            return 0;
        }

        var entries = await Store.LoadAsync(_time.GetUtcNow(), cancellationToken);
        var restored = 0;
        foreach (var stored in entries)
        {
            QuotaEntry? entry = null;
            switch (stored.Scope)
            {
                case QuotaScope.User when ulong.TryParse(stored.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    entry = GetEntry(_users, id);
                    break;
                case QuotaScope.Guild when ulong.TryParse(stored.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    entry = GetEntry(_guilds, id);
                    break;
                case QuotaScope.Provider when !string.IsNullOrEmpty(stored.Key):
                    entry = GetEntry(_providers, stored.Key);
                    break;
            }

            if (entry is null)
            {
                continue;
            }

            lock (entry.Gate)
            {
                entry.RequestsPerMinute = Math.Max(entry.RequestsPerMinute, stored.RequestsPerMinute);
                entry.RequestsPerDay = Math.Max(entry.RequestsPerDay, stored.RequestsPerDay);
                entry.TokensPerMinute = Math.Max(entry.TokensPerMinute, stored.TokensPerMinute);
                entry.TokensPerDay = Math.Max(entry.TokensPerDay, stored.TokensPerDay);
            }

            restored++;
        }

        LogRestored(_logger, restored);
        return restored;
    }

    /// <summary>Writes every entry changed since the last write (and the pending prune) to the store in one batch. Calls are serialized.</summary>
    /// <returns>How many entries were written.</returns>
    public Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            return Task.FromResult(0);
        }

        lock (_flushGate)
        {
            var flush = FlushAfterAsync(_flushTail, cancellationToken);
            _flushTail = flush;
            return flush;
        }
    }

    /// <summary>Writes behind every <see cref="FlushInterval"/> until cancelled (a failed write is logged and retried with the next one).</summary>
    public async Task RunWriteBehindAsync(CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await FlushAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _writeFailures?.Add(1);
                    LogWriteFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task<int> FlushAfterAsync(Task previous, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var entries = new List<QuotaEntry>();
        var batch = new List<QuotaStateEntry>();
        Collect(_users, QuotaScope.User, static id => id.ToString(CultureInfo.InvariantCulture), entries, batch);
        Collect(_guilds, QuotaScope.Guild, static id => id.ToString(CultureInfo.InvariantCulture), entries, batch);
        Collect(_providers, QuotaScope.Provider, static name => name.ToLowerInvariant(), entries, batch);
        var prune = Interlocked.Exchange(ref _pendingPrune, 0);
        if (batch.Count == 0 && prune == 0)
        {
            return 0;
        }

        try
        {
            await Store!.SaveAsync(batch, prune == 0 ? null : new DateTimeOffset(prune, TimeSpan.Zero), cancellationToken);
        }
        catch (Exception)
        {
            // Not written: keep it for the next flush.
            foreach (var entry in entries)
            {
                lock (entry.Gate)
                {
                    entry.Dirty = true;
                }
            }

            Interlocked.CompareExchange(ref _pendingPrune, prune, 0);
            throw;
        }

        return batch.Count;
    }

    private static void Collect<TKey>(ConcurrentDictionary<TKey, QuotaEntry> map, QuotaScope scope, Func<TKey, string> key, List<QuotaEntry> entries, List<QuotaStateEntry> batch)
        where TKey : notnull
    {
        foreach (var (id, entry) in map)
        {
            lock (entry.Gate)
            {
                if (!entry.Dirty || entry.Removed)
                {
                    continue;
                }

                entry.Dirty = false;
                batch.Add(new QuotaStateEntry(scope, key(id), entry.RequestsPerMinute, entry.RequestsPerDay, entry.TokensPerMinute, entry.TokensPerDay));
            }

            entries.Add(entry);
        }
    }

    private int PruneMap<TKey>(ConcurrentDictionary<TKey, QuotaEntry> map, long now)
        where TKey : notnull
    {
        var removed = 0;
        foreach (var pair in map)
        {
            var entry = pair.Value;
            lock (entry.Gate)
            {
                if (entry.IdleAt > now)
                {
                    continue;
                }

                entry.Removed = true;
            }

            if (map.TryRemove(pair))
            {
                Interlocked.Decrement(ref _tracked);
                removed++;
            }
        }

        return removed;
    }

    private QuotaEntry? GetEntry<TKey>(ConcurrentDictionary<TKey, QuotaEntry> map, TKey key)
        where TKey : notnull
    {
        while (true)
        {
            if (map.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (Volatile.Read(ref _tracked) >= _maxTracked)
            {
                if (Interlocked.Exchange(ref _fullWarned, 1) == 0)
                {
                    LogFull(_logger, _maxTracked);
                }

                return null;
            }

            var created = new QuotaEntry();
            if (map.TryAdd(key, created))
            {
                Interlocked.Increment(ref _tracked);
                return created;
            }
        }
    }

    private QuotaPlan LimitsOf(string provider) =>
        _providerLimits.TryGetValue(provider, out var limits) ? limits : _providerDefault;

    private static bool HasTokenLimit(QuotaPlan limits) => limits.HasTokens;

    private static void Check(QuotaEntry? entry, QuotaPlan limits, QuotaScope scope, long now, ref bool found, ref QuotaRefusal worst)
    {
        if (entry is null)
        {
            return;
        }

        long wait;
        if (limits.RequestsPerMinute > 0 && (wait = Math.Max(entry.RequestsPerMinute, now) + limits.MinuteRequestCost - now - TimeSpan.TicksPerMinute) > 0)
        {
            Worse(scope, QuotaLimit.RequestsPerMinute, wait, ref found, ref worst);
        }

        if (limits.RequestsPerDay > 0 && (wait = Math.Max(entry.RequestsPerDay, now) + limits.DayRequestCost - now - TimeSpan.TicksPerDay) > 0)
        {
            Worse(scope, QuotaLimit.RequestsPerDay, wait, ref found, ref worst);
        }

        if (limits.TokensPerMinute > 0 && !QuotaBucket.HasRoom(entry.TokensPerMinute, now, TimeSpan.TicksPerMinute, out wait))
        {
            Worse(scope, QuotaLimit.TokensPerMinute, wait, ref found, ref worst);
        }

        if (limits.TokensPerDay > 0 && !QuotaBucket.HasRoom(entry.TokensPerDay, now, TimeSpan.TicksPerDay, out wait))
        {
            Worse(scope, QuotaLimit.TokensPerDay, wait, ref found, ref worst);
        }
    }

    private static void Worse(QuotaScope scope, QuotaLimit limit, long wait, ref bool found, ref QuotaRefusal worst)
    {
        if (!found || wait > worst.RetryAfter.Ticks)
        {
            worst = new QuotaRefusal(scope, limit, TimeSpan.FromTicks(wait));
            found = true;
        }
    }

    private static void TakeRequest(QuotaEntry? entry, QuotaPlan limits, long now)
    {
        if (entry is null)
        {
            return;
        }

        // The check just proved these stay within a window of now: no cap needed.
        if (limits.RequestsPerMinute > 0)
        {
            entry.RequestsPerMinute = Math.Max(entry.RequestsPerMinute, now) + limits.MinuteRequestCost;
            entry.Dirty = true;
        }

        if (limits.RequestsPerDay > 0)
        {
            entry.RequestsPerDay = Math.Max(entry.RequestsPerDay, now) + limits.DayRequestCost;
            entry.Dirty = true;
        }
    }

    private void Charge<TKey>(ConcurrentDictionary<TKey, QuotaEntry> map, TKey key, QuotaPlan limits, long now, long tokens)
        where TKey : notnull
    {
        while (GetEntry(map, key) is { } entry)
        {
            lock (entry.Gate)
            {
                if (entry.Removed)
                {
                    continue;
                }

                if (limits.TokensPerMinute > 0)
                {
                    entry.TokensPerMinute = QuotaBucket.Charge(entry.TokensPerMinute, now, TimeSpan.TicksPerMinute, limits.TokensPerMinute, tokens);
                }

                if (limits.TokensPerDay > 0)
                {
                    entry.TokensPerDay = QuotaBucket.Charge(entry.TokensPerDay, now, TimeSpan.TicksPerDay, limits.TokensPerDay, tokens);
                }

                entry.Dirty = true;
                return;
            }
        }
    }

    private static long? Remaining(QuotaEntry? entry, QuotaPlan limits, QuotaLimit limit, long now)
    {
        var max = limits.Get(limit);
        if (max <= 0)
        {
            return null;
        }

        if (entry is null)
        {
            return max;
        }

        lock (entry.Gate)
        {
            return QuotaBucket.Remaining(entry.FullAt(limit), now, QuotaBucket.WindowTicks(limit), max);
        }
    }

    private void Refused(in QuotaRefusal refusal)
    {
        _refusals?.Add(1, new KeyValuePair<string, object?>(QuotaTelemetryConstants.ScopeTag, ScopeName(refusal.Scope)), new KeyValuePair<string, object?>(QuotaTelemetryConstants.LimitTag, LimitName(refusal.Limit)));
        LogRefused(_logger, refusal.Scope, refusal.Limit, refusal.RetryAfter.TotalSeconds);
    }

    internal static string ScopeName(QuotaScope scope) => scope switch
    {
        QuotaScope.User => "user",
        QuotaScope.Guild => "guild",
        _ => "provider",
    };

    internal static string LimitName(QuotaLimit limit) => limit switch
    {
        QuotaLimit.RequestsPerMinute => "requests_per_minute",
        QuotaLimit.RequestsPerDay => "requests_per_day",
        QuotaLimit.TokensPerMinute => "tokens_per_minute",
        _ => "tokens_per_day",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM request refused by the {Scope} quota ({Limit}); allowed again in {RetryAfterSeconds:0.#} s")]
    private static partial void LogRefused(ILogger logger, QuotaScope scope, QuotaLimit limit, double retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota state is tracked for {Max} identities (Llm:Quotas:MaxTrackedIdentities); new users and guilds are not limited until some are pruned")]
    private static partial void LogFull(ILogger logger, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quota state restored for {Count} users, guilds and providers")]
    private static partial void LogRestored(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing quota state failed; it is retried with the next write")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
