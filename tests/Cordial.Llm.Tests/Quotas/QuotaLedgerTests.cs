using Cordial.Llm.Quotas;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Telemetry;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Quotas;

public sealed class QuotaLedgerTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private QuotaLedger Ledger(Action<QuotaOptions> configure, IQuotaStateStore? store = null, LlmMetrics? metrics = null)
    {
        var options = new QuotaOptions();
        configure(options);
        return new QuotaLedger(options, _time, metrics, store);
    }

    private static int Take(QuotaLedger ledger, ulong? user, ulong? guild, int attempts)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (ledger.TryAcquire(user, guild, out _))
            {
                allowed++;
            }
        }

        return allowed;
    }

    [Theory]
    [InlineData(QuotaLimit.RequestsPerMinute, 3)]
    [InlineData(QuotaLimit.RequestsPerDay, 5)]
    public void A_user_is_refused_at_limit_plus_one_until_the_retry_after_then_gets_the_whole_limit_back_after_the_window(QuotaLimit limit, int max)
    {
        var ledger = Ledger(o =>
        {
            if (limit == QuotaLimit.RequestsPerMinute)
            {
                o.User.RequestsPerMinute = max;
            }
            else
            {
                o.User.RequestsPerDay = max;
            }
        });

        Assert.Equal(max, Take(ledger, 7, null, max));
        Assert.False(ledger.TryAcquire(7, null, out var refusal));
        Assert.Equal(QuotaScope.User, refusal.Scope);
        Assert.Equal(limit, refusal.Limit);
        Assert.True(refusal.RetryAfter > TimeSpan.Zero);
        Assert.True(ledger.TryAcquire(8, null, out _)); // another user has its own quota

        _time.Advance(refusal.RetryAfter - TimeSpan.FromTicks(1));
        Assert.False(ledger.TryAcquire(7, null, out var again));
        Assert.Equal(TimeSpan.FromTicks(1), again.RetryAfter);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(ledger.TryAcquire(7, null, out _));

        _time.Advance(limit == QuotaLimit.RequestsPerMinute ? TimeSpan.FromMinutes(1) : TimeSpan.FromDays(1));
        Assert.Equal(max, Take(ledger, 7, null, max + 2));
    }

    [Fact]
    public void A_guild_limit_is_shared_by_its_users_and_a_refusal_charges_neither_scope()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 2;
            o.Guild.RequestsPerMinute = 3;
        });

        Assert.Equal(2, Take(ledger, 1, 100, 5));
        Assert.Equal(1, Take(ledger, 2, 100, 5));
        Assert.False(ledger.TryAcquire(2, 100, out var refusal));
        Assert.Equal(QuotaScope.Guild, refusal.Scope);

        // User 2 was refused by the guild four times: its own quota still has one request left (outside the guild).
        Assert.Equal(1, Take(ledger, 2, null, 3));
        Assert.Equal(2, Take(ledger, 3, 200, 3)); // another guild
    }

    [Fact]
    public void A_refusal_names_the_limit_to_wait_longest_for()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 1;
            o.User.RequestsPerDay = 1;
        });

        Assert.True(ledger.TryAcquire(1, null, out _));
        Assert.False(ledger.TryAcquire(1, null, out var refusal));
        Assert.Equal(QuotaLimit.RequestsPerDay, refusal.Limit);
        Assert.True(refusal.RetryAfter > TimeSpan.FromHours(23));
    }

    [Fact]
    public void Admins_bypass_user_and_guild_limits_but_not_provider_limits()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 1;
            o.Guild.RequestsPerMinute = 1;
            o.Provider.RequestsPerMinute = 2;
            o.AdminUserIds = [42];
        });

        Assert.Equal(5, Take(ledger, 42, 100, 5));
        Assert.True(ledger.TryAcquire(1, 100, out _)); // the admin used none of the guild's quota
        Assert.True(ledger.GetAllowance(42).Exempt);
        Assert.Null(ledger.GetAllowance(42).RequestsLeftThisMinute);
        Assert.True(ledger.TryAcquireProvider("openai", out _));
        Assert.True(ledger.TryAcquireProvider("openai", out _));
        Assert.False(ledger.TryAcquireProvider("openai", out var refusal));
        Assert.Equal(QuotaScope.Provider, refusal.Scope);
    }

    [Fact]
    public void Tokens_are_charged_after_the_fact_and_refuse_once_at_or_over_the_limit()
    {
        var ledger = Ledger(o => o.User.TokensPerDay = 1000);

        Assert.True(ledger.TryAcquire(1, null, out _));
        ledger.ChargeTokens(1, null, 999);
        Assert.True(ledger.TryAcquire(1, null, out _)); // one token left: allowed
        ledger.ChargeTokens(1, null, 1500); // the answer overshoots: the debt is waited off
        Assert.False(ledger.TryAcquire(1, null, out var refusal));
        Assert.Equal(QuotaLimit.TokensPerDay, refusal.Limit);
        Assert.Equal(0, ledger.GetAllowance(1).TokensLeftToday);
        Assert.True(ledger.TryAcquire(2, null, out _));

        _time.Advance(refusal.RetryAfter - TimeSpan.FromTicks(1));
        Assert.False(ledger.TryAcquire(1, null, out _));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(ledger.TryAcquire(1, null, out _));
    }

    [Fact]
    public void Provider_limits_come_from_the_named_entry_or_the_default_case_insensitively()
    {
        var ledger = Ledger(o =>
        {
            o.Provider.RequestsPerMinute = 1;
            o.Providers["Local"] = new QuotaLimits { RequestsPerMinute = 3 };
            o.Providers["free"] = new QuotaLimits();
        });

        Assert.Equal(3, Enumerable.Range(0, 5).Count(i => ledger.TryAcquireProvider("local", out _)));
        Assert.Equal(1, Enumerable.Range(0, 5).Count(i => ledger.TryAcquireProvider("openai", out _)));
        Assert.Equal(5, Enumerable.Range(0, 5).Count(i => ledger.TryAcquireProvider("free", out _)));

        ledger.ChargeProviderTokens("openai", 10); // no token limit: nothing to do
        Assert.Equal(2, ledger.TrackedCount);
    }

    [Fact]
    public void Provider_tokens_per_minute_refuse_after_a_large_answer()
    {
        var ledger = Ledger(o => o.Provider.TokensPerMinute = 100);

        Assert.True(ledger.TryAcquireProvider("p", out _));
        ledger.ChargeProviderTokens("p", 100);
        Assert.False(ledger.TryAcquireProvider("p", out var refusal));
        Assert.Equal(QuotaLimit.TokensPerMinute, refusal.Limit);
        Assert.InRange(refusal.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Without_limits_nothing_is_tracked()
    {
        var ledger = Ledger(_ => { });

        Assert.False(ledger.LimitsRequesters);
        Assert.False(ledger.LimitsProviders);
        Assert.Equal(1000, Take(ledger, 1, 2, 1000));
        Assert.True(ledger.TryAcquireProvider("p", out _));
        Assert.Equal(0, ledger.TrackedCount);
        Assert.Equal(new QuotaAllowance(null, null, null, false), ledger.GetAllowance(1, 2));
    }

    [Fact]
    public void The_allowance_is_the_tighter_of_user_and_guild()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 5;
            o.User.RequestsPerDay = 50;
            o.Guild.RequestsPerMinute = 3;
        });

        Assert.Equal(new QuotaAllowance(5, 50, null, false), ledger.GetAllowance(1));
        Take(ledger, 1, 9, 2);
        Assert.Equal(new QuotaAllowance(3, 48, null, false), ledger.GetAllowance(1));
        Assert.Equal(new QuotaAllowance(1, 48, null, false), ledger.GetAllowance(1, 9));
    }

    [Fact]
    public void Concurrent_requests_never_exceed_the_limit()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerDay = 100;
            o.Guild.RequestsPerDay = 150;
        });
        var allowed = 0;

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (ledger.TryAcquire((ulong)(i % 2), 1, out _))
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(150, allowed);
        Assert.Equal(0, ledger.GetAllowance(0, 1).RequestsLeftToday);
    }

    [Fact]
    public void Prune_forgets_identities_whose_buckets_are_full_again_and_keeps_the_others()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 10;
            o.Guild.RequestsPerDay = 10;
        });
        Take(ledger, 1, null, 1);
        Take(ledger, 2, 100, 1);
        Assert.Equal(3, ledger.TrackedCount);

        Assert.Equal(0, ledger.Prune(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, ledger.Prune(_time.GetUtcNow())); // both users; the guild's day is not over
        Assert.Equal(1, ledger.TrackedCount);

        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, ledger.Prune(_time.GetUtcNow()));
        Assert.Equal(0, ledger.TrackedCount);
        Assert.Equal(10, Take(ledger, 2, 100, 20)); // a pruned identity starts afresh
    }

    [Fact]
    public void Beyond_the_tracking_bound_new_identities_are_not_limited()
    {
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 1;
            o.MaxTrackedIdentities = 100;
        });

        for (ulong user = 0; user < 100; user++)
        {
            Assert.True(ledger.TryAcquire(user, null, out _));
        }

        Assert.Equal(100, ledger.TrackedCount);
        Assert.Equal(3, Take(ledger, 1000, null, 3));
        Assert.Equal(100, ledger.TrackedCount);
        Assert.False(ledger.TryAcquire(5, null, out _)); // tracked ones still are
    }

    [Fact]
    public void Ten_thousand_users_of_state_stay_under_ten_megabytes()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 10;
            o.User.RequestsPerDay = 100;
            o.User.TokensPerDay = 100_000;
        });
        for (ulong user = 1; user <= 10_000; user++)
        {
            Assert.True(ledger.TryAcquire(user * 7919, null, out _));
            ledger.ChargeTokens(user * 7919, null, 500);
        }

        // Everything allocated on the way (garbage included) bounds what is retained.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, ledger.TrackedCount);
        Assert.InRange(allocated, 1, 10L * 1024 * 1024);
    }

    [Fact]
    public void Refusals_are_counted_per_scope_and_limit()
    {
        using var metrics = new LlmMetrics();
        using var recorder = new MeasurementRecorder(metrics.Meter);
        var ledger = Ledger(
            o =>
            {
                o.User.RequestsPerMinute = 1;
                o.Guild.RequestsPerDay = 1;
            },
            metrics: metrics);

        Take(ledger, 1, null, 3);
        Take(ledger, 2, 5, 1);
        Take(ledger, 3, 5, 1);

        var refusals = recorder.Of(QuotaTelemetryConstants.Refusals);
        Assert.Equal(2, refusals.Count(r => Equals(r.Tags[QuotaTelemetryConstants.ScopeTag], "user") && Equals(r.Tags[QuotaTelemetryConstants.LimitTag], "requests_per_minute")));
        Assert.Equal(1, refusals.Count(r => Equals(r.Tags[QuotaTelemetryConstants.ScopeTag], "guild") && Equals(r.Tags[QuotaTelemetryConstants.LimitTag], "requests_per_day")));
    }

    [Fact]
    public void Bad_settings_are_refused_with_their_path()
    {
        var options = new QuotaOptions();
        options.User.RequestsPerMinute = -1;
        options.Providers["openai"] = new QuotaLimits { TokensPerDay = -5 };
        options.MaxTrackedIdentities = 1;

        var error = Assert.Throws<OptionsValidationException>(() => new QuotaLedger(options));

        Assert.Contains("Llm:Quotas:User:RequestsPerMinute", error.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:Quotas:Providers:openai:TokensPerDay", error.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:Quotas:MaxTrackedIdentities", error.Message, StringComparison.Ordinal);
    }
}
