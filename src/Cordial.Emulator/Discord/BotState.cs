namespace Cordial.Emulator.Discord;

/// <summary>
/// A registered bot and its counters. Counters are updated with Interlocked, except the request count and its split by
/// route, which change together under one lock so a snapshot never sees a request in one and not the other; the
/// invalid-request log has its own lock.
/// </summary>
internal sealed class BotState(EmulatedBot bot)
{
    private static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);
    private const int MaxInvalidLog = 20_000;

    private readonly Lock _invalidGate = new();
    private readonly Queue<long> _invalidRequests = new();
    private readonly Lock _requestGate = new();
    private long _restRequests;
    private long _tooManyRequests;
    private long _globalHits;
    private long _gatewayConnections;
    private long _identifies;
    private long _resumes;
    private long _gatewaySendsRejected;

    // One entry per route shape the emulator serves (a few dozen): bounded by the route table. Guarded by _requestGate.
    private readonly Dictionary<string, long> _byRoute = new(StringComparer.Ordinal);

    public EmulatedBot Bot { get; } = bot;

    public void CountRequest(string route)
    {
        lock (_requestGate)
        {
            _restRequests++;
            _byRoute[route] = _byRoute.GetValueOrDefault(route) + 1;
        }
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

        long requests;
        SortedDictionary<string, long> byRoute;
        lock (_requestGate)
        {
            requests = _restRequests;
            byRoute = new SortedDictionary<string, long>(_byRoute, StringComparer.Ordinal);
        }

        return new EmulatorStats(
            requests,
            Interlocked.Read(ref _tooManyRequests),
            Interlocked.Read(ref _globalHits),
            invalid,
            Interlocked.Read(ref _gatewayConnections),
            Interlocked.Read(ref _identifies),
            Interlocked.Read(ref _resumes),
            Interlocked.Read(ref _gatewaySendsRejected),
            byRoute);
    }

    private void Prune(TimeProvider time, long now)
    {
        while (_invalidRequests.Count > 0 && time.GetElapsedTime(_invalidRequests.Peek(), now) > InvalidRequestWindow)
        {
            _invalidRequests.Dequeue();
        }
    }
}
