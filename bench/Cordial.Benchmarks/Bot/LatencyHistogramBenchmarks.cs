using BenchmarkDotNet.Attributes;
using Cordial.Bot.Diagnostics;

namespace Cordial.Benchmarks.Bot;

/// <summary>
/// The bot-overhead recorders on the hot path (target: ≤ 20 ns and 0 B per record): one value into the histogram,
/// a timestamp plus a record (what the reply streamer does per Discord call), and reading a snapshot (the /stats side,
/// not on the hot path). Values cycle through 1 µs … 100 ms so every bucket family is used.
/// Run: dotnet run -c Release --project bench/Cordial.Benchmarks -- --filter *LatencyHistogram* --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class LatencyHistogramBenchmarks
{
    private readonly long[] _values = new long[1024];
    private LatencyHistogram _histogram = null!;
    private BotStats _stats = null!;
    private long _start;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = (long)Math.Exp(Math.Log(1_000) + (random.NextDouble() * (Math.Log(100_000_000) - Math.Log(1_000))));
        }

        _histogram = new LatencyHistogram();
        _stats = new BotStats(TimeProvider.System);
        _start = TimeProvider.System.GetTimestamp();
        foreach (var value in _values)
        {
            _histogram.RecordNanoseconds(value);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _stats.Dispose();

    [Benchmark(Baseline = true)]
    public void Record() => _histogram.RecordNanoseconds(_values[_next++ & 1023]);

    [Benchmark]
    public void TimestampAndRecord() => _stats.RecordSince(_stats.TokenToDiscord, _start);

    [Benchmark]
    public double SnapshotP99() => _histogram.Snapshot().PercentileNanoseconds(99);
}
