using BenchmarkDotNet.Attributes;
using Cordial.Llm.Quotas;

namespace Cordial.Benchmarks.Quotas;

/// <summary>
/// Cost of a quota check that is allowed: the user and guild check (one call, both charged) plus the provider check,
/// with every limit kind set, over 10,000 known users in 100 guilds (target ≤ 200 ns, 0 B).
/// </summary>
[MemoryDiagnoser]
public class QuotaCheckBenchmarks
{
    private const int Users = 10_000;
    private QuotaLedger _ledger = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // The clock is the system clock moved one second further at every reading, so every check is allowed
        // however many millions run (and still pays for reading the real clock).
        _ledger = new QuotaLedger(new QuotaOptions
        {
            User = new QuotaLimits { RequestsPerMinute = 1_000_000, RequestsPerDay = 100_000_000, TokensPerDay = 10_000_000_000 },
            Guild = new QuotaLimits { RequestsPerMinute = 1_000_000, RequestsPerDay = 100_000_000, TokensPerDay = 10_000_000_000 },
            Provider = new QuotaLimits { RequestsPerMinute = 1_000_000, RequestsPerDay = 100_000_000, TokensPerMinute = 10_000_000_000 },
        }, new RacingClock());
        for (var i = 0; i < Users; i++)
        {
            _ledger.TryAcquire(User(i), Guild(i), out _);
        }

        _ledger.TryAcquireProvider("openai", out _);
    }

    [Benchmark]
    public bool UserGuildAndProviderAllowed()
    {
        var i = _next = (_next + 1) % Users;
        return _ledger.TryAcquire(User(i), Guild(i), out _) & _ledger.TryAcquireProvider("openai", out _);
    }

    /// <summary>System time plus one more second at every reading (single-threaded benchmark).</summary>
    private sealed class RacingClock : TimeProvider
    {
        private long _offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(_offset += TimeSpan.TicksPerSecond);
    }

    private static ulong User(int i) => 100_000_000_000_000_000UL + (ulong)i;

    private static ulong Guild(int i) => 900_000_000_000_000_000UL + (ulong)(i % 100);
}
