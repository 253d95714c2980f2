using System.Globalization;

namespace Cordial.Emulator.Discord;

/// <summary>
/// Fault injection for the Discord emulator. Thread-safe; every fault applies to all bots.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly DiscordEmulator _emulator;
    private readonly Lock _gate = new();
    private readonly List<RouteFailure> _routeFailures = [];
    private long _stormUntil = long.MinValue;
    private TimeSpan _responseDelay;
    private volatile bool _suppressHeartbeatAcks;

    internal EmulatorFaults(DiscordEmulator emulator)
    {
        _emulator = emulator;
    }

    /// <summary>Aborts every gateway socket without a close frame (like a network cut).</summary>
    public void DropConnections()
    {
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, "drop connections");
        foreach (var connection in _emulator.Connections)
        {
            connection.Abort();
        }
    }

    /// <summary>Aborts every connection without logging a fault (host shutdown).</summary>
    internal void AbortAll()
    {
        foreach (var connection in _emulator.Connections)
        {
            connection.Abort();
        }
    }

    /// <summary>Closes every gateway connection with <paramref name="closeCode"/> (e.g. 4000 to ask for a resume, 4004 fatal).</summary>
    public void CloseConnections(int closeCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(closeCode, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(closeCode, 4999);
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, "close connections " + closeCode.ToString(CultureInfo.InvariantCulture));
        foreach (var connection in _emulator.Connections)
        {
            connection.Close(closeCode, "Closed by the emulator.");
        }
    }

    /// <summary>Sends op 7 RECONNECT on every connection.</summary>
    public void SendReconnect()
    {
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, "reconnect");
        foreach (var connection in _emulator.Connections)
        {
            connection.SendJson("{\"op\":7,\"d\":null}");
        }
    }

    /// <summary>Sends op 9 INVALID_SESSION; when not <paramref name="resumable"/> the sessions are discarded.</summary>
    public void SendInvalidSession(bool resumable)
    {
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, resumable ? "invalid session (resumable)" : "invalid session");
        foreach (var connection in _emulator.Connections)
        {
            var session = connection.Session;
            if (session is null)
            {
                continue;
            }

            if (resumable)
            {
                session.Detach(connection);
            }
            else
            {
                _emulator.InvalidateSession(session);
            }

            connection.ForgetSession();
            connection.SendJson(resumable ? "{\"op\":9,\"d\":true}" : "{\"op\":9,\"d\":false}");
        }
    }

    /// <summary>Sends op 1 on every connection: the client must heartbeat at once.</summary>
    public void RequestHeartbeat()
    {
        foreach (var connection in _emulator.Connections)
        {
            connection.SendJson("{\"op\":1,\"d\":null}");
        }
    }

    /// <summary>Stops (or resumes) answering heartbeats with op 11: the connection becomes a zombie.</summary>
    public void SuppressHeartbeatAcks(bool suppress)
    {
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, suppress ? "suppress heartbeat acks" : "heartbeat acks restored");
        _suppressHeartbeatAcks = suppress;
    }

    internal bool HeartbeatAcksSuppressed => _suppressHeartbeatAcks;

    /// <summary>
    /// The next <paramref name="count"/> requests matching method and Discord route template
    /// (e.g. "PATCH", "/channels/{channel_id}/messages/{message_id}") answer <paramref name="statusCode"/>.
    /// </summary>
    public void FailRoute(string method, string routeTemplate, int statusCode, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(routeTemplate);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, "fail route " + method + " " + routeTemplate);
        lock (_gate)
        {
            _routeFailures.Add(new RouteFailure(method, NormalizeTemplate(routeTemplate), statusCode) { Remaining = count });
        }
    }

    /// <summary>For <paramref name="duration"/>, every REST call answers 429 with retry_after = the time left.</summary>
    public void StartRateLimitStorm(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        DiscordEmulatorLog.FaultInjected(_emulator.Logger, "rate-limit storm");
        Interlocked.Exchange(ref _stormUntil, _emulator.Time.GetTimestamp() + (long)(duration.TotalSeconds * _emulator.Time.TimestampFrequency));
    }

    /// <summary>Delays every REST response by <paramref name="delay"/> (zero to stop).</summary>
    public void SetResponseDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            _responseDelay = delay;
        }
    }

    /// <summary>Clears every REST fault and restores heartbeat acks.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _routeFailures.Clear();
            _responseDelay = TimeSpan.Zero;
        }

        Interlocked.Exchange(ref _stormUntil, long.MinValue);
        _suppressHeartbeatAcks = false;
    }

    internal TimeSpan ResponseDelay
    {
        get
        {
            lock (_gate)
            {
                return _responseDelay;
            }
        }
    }

    /// <summary>Time left in a rate-limit storm, or null.</summary>
    internal TimeSpan? StormRemaining()
    {
        var until = Interlocked.Read(ref _stormUntil);
        var now = _emulator.Time.GetTimestamp();
        return until > now ? TimeSpan.FromSeconds((until - now) / (double)_emulator.Time.TimestampFrequency) : null;
    }

    /// <summary>Consumes one matching route failure and returns its status code.</summary>
    internal int? TakeRouteFailure(string method, string routeTemplate)
    {
        var template = NormalizeTemplate(routeTemplate);
        lock (_gate)
        {
            var failure = _routeFailures.Find(f => string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)
                && string.Equals(f.Template, template, StringComparison.OrdinalIgnoreCase));
            if (failure is null)
            {
                return null;
            }

            if (--failure.Remaining <= 0)
            {
                _routeFailures.Remove(failure);
            }

            return failure.StatusCode;
        }
    }

    private static string NormalizeTemplate(string template)
    {
        var trimmed = template.Trim();
        foreach (var prefix in (string[])["/api/v10", "api/v10"])
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[prefix.Length..];
            }
        }

        return "/" + trimmed.Trim('/');
    }

    private sealed record RouteFailure(string Method, string Template, int StatusCode)
    {
        public int Remaining { get; set; }
    }
}
