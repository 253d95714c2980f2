using System.Collections.Concurrent;

namespace Cordial.Emulator.Discord;

/// <summary>A registered bot and its counters. Counters are updated with Interlocked; the invalid-request log has its own lock.</summary>
internal sealed class BotState(EmulatedBot bot)
{
    private static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);
    private const int MaxInvalidLog = 20_000;

    private readonly Lock _invalidGate = new();
    private readonly Queue<long> _invalidRequests = new();
    private long _restRequests;
    private long _tooManyRequests;
    private long _globalHits;
    private long _gatewayConnections;
    private long _identifies;
    private long _resumes;
    private long _gatewaySendsRejected;

    // One entry per route shape the emulator serves (a few dozen): bounded by the route table.
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);

    public EmulatedBot Bot { get; } = bot;

    public void CountRequest(string route)
    {
        Interlocked.Increment(ref _restRequests);
        _byRoute.AddOrUpdate(route, 1, static (_, count) => count + 1);
    }

    public void CountTooManyRequests() => Interlocked.Increment(ref _tooManyRequests);
    public void CountGlobalHit() => Interlocked.Increment(ref _globalHits);
    public void CountGatewayConnection() => Interlocked.Increment(ref _gatewayConnections);
    public void CountIdentify() => Interlocked.Increment(ref _identifies);
    public void CountResume() => Interlocked.Increment(ref _resumes);
    public void CountGatewaySendRejected() => Interlocked.Increment(ref _gatewaySendsRejected);

    public void CountInvalidRequest(TimeProvider time)
    {
        var now = time.GetTimestamp();
        lock (_invalidGate)
        {
            Prune(time, now);
            _invalidRequests.Enqueue(now);
            if (_invalidRequests.Count > MaxInvalidLog)
            {
                _invalidRequests.Dequeue();
            }
        }
    }

    public EmulatorStats Snapshot(TimeProvider time)
    {
        long invalid;
        lock (_invalidGate)
        {
            Prune(time, time.GetTimestamp());
            invalid = _invalidRequests.Count;
        }

        return new EmulatorStats(
            Interlocked.Read(ref _restRequests),
            Interlocked.Read(ref _tooManyRequests),
            Interlocked.Read(ref _globalHits),
            invalid,
            Interlocked.Read(ref _gatewayConnections),
            Interlocked.Read(ref _identifies),
            Interlocked.Read(ref _resumes),
            Interlocked.Read(ref _gatewaySendsRejected),
            new SortedDictionary<string, long>(_byRoute, StringComparer.Ordinal));
    }

    private void Prune(TimeProvider time, long now)
    {
        while (_invalidRequests.Count > 0 && time.GetElapsedTime(_invalidRequests.Peek(), now) > InvalidRequestWindow)
        {
            _invalidRequests.Dequeue();
        }
    }
}
