namespace Cordial.Discord.Gateway;

/// <summary>
/// Heartbeat timing and ACK tracking of one connection. The first beat comes after interval × jitter, then one per
/// interval. A beat that comes due while the previous one is still unacknowledged means a zombie connection:
/// <c>onZombie</c> runs once and the timer stops.
/// </summary>
/// <remarks>Thread-safe. The callbacks run on the timer's thread and must not block.</remarks>
internal sealed class HeartbeatMonitor : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _firstDelay;
    private readonly Action _onBeat;
    private readonly Action _onZombie;
    private ITimer? _timer;
    private bool _awaitingAck;
    private long _sentAt;
    private bool _stopped;

    public HeartbeatMonitor(TimeProvider time, TimeSpan interval, double jitter, Action onBeat, Action onZombie)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _time = time;
        _interval = interval;
        _firstDelay = interval * Math.Clamp(jitter, 0, 1);
        _onBeat = onBeat;
        _onZombie = onZombie;
    }

    /// <summary>Heartbeat → ACK round trip of the last acknowledged beat.</summary>
    public TimeSpan? Latency { get; private set; }

    /// <summary>Beats sent (by the timer).</summary>
    public int Beats { get; private set; }

    public void Start()
    {
        lock (_gate)
        {
            if (_stopped || _timer is not null)
            {
                return;
            }

            _timer = _time.CreateTimer(static s => ((HeartbeatMonitor)s!).Tick(), this, _firstDelay, _interval);
        }
    }

    /// <summary>Records an op 11 HEARTBEAT_ACK.</summary>
    public void Acknowledge()
    {
        lock (_gate)
        {
            if (_awaitingAck)
            {
                _awaitingAck = false;
                Latency = _time.GetElapsedTime(_sentAt);
            }
        }
    }

    private void Tick()
    {
        bool zombie;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            zombie = _awaitingAck;
            if (zombie)
            {
                _stopped = true;
                _timer?.Dispose();
            }
            else
            {
                _awaitingAck = true;
                _sentAt = _time.GetTimestamp();
                Beats++;
            }
        }

        if (zombie)
        {
            _onZombie();
        }
        else
        {
            _onBeat();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
        }
    }
}
