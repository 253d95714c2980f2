namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// One Discord rate-limit bucket (a bucket hash plus major parameter), or the provisional limiter of a route
/// whose bucket is not known yet.
/// </summary>
/// <remarks>
/// <para>
/// The bucket never guesses in the caller's favour. While its state is unknown (a new route, or the window
/// just reset) it sends one probe request at a time and waits for the response's headers. Once the headers are
/// known it spends the remaining tokens locally, trusting the lower of its own count and what each later
/// response reports, until the reset time; then a new window ("epoch") starts with a probe again. Responses
/// from an older epoch are ignored, and requests still in flight from an older epoch are subtracted from the
/// new window, so a slow response can never make us over-send.
/// </para>
/// <para>Thread-safe; callers are served in FIFO order (see <see cref="FifoLimiter{TTicket}"/>).</para>
/// </remarks>
internal sealed class RouteBucket : FifoLimiter<BucketTicket>
{
    private int _limit = 1;
    private int _remaining;
    private bool _known;
    private long _resetAt;
    private int _epoch;
    private int _inFlight;
    private bool _probeInFlight;
    private bool _retired;
    private long _lastUsed;
    private int _staleSinceReset;
    private int _observedRemaining = int.MaxValue;
    private long _observedResetAt;

    private static readonly TimeSpan ProvisionalRecheck = TimeSpan.FromMilliseconds(50);

    private readonly ProvisionalRequestCounter _provisional;
    private readonly int _stripe;

    public RouteBucket(TimeProvider timeProvider, string? hash = null, ProvisionalRequestCounter? provisional = null, string major = "")
        : base(timeProvider)
    {
        Hash = hash;
        _provisional = provisional ?? new ProvisionalRequestCounter();
        _stripe = ProvisionalRequestCounter.StripeOf(major);
        _lastUsed = timeProvider.GetTimestamp();
    }

    /// <summary>Discord's bucket hash, or null while this is the provisional limiter of an unknown route.</summary>
    public string? Hash { get; set; }

    /// <summary>A snapshot for tests and diagnostics.</summary>
    public (bool Known, int Limit, int Remaining, int InFlight, bool Retired) State
    {
        get
        {
            lock (Gate)
            {
                return (_known, _limit, _remaining, _inFlight, _retired);
            }
        }
    }

    protected override bool TryGrantLocked(long now, out BucketTicket ticket)
    {
        if (_retired)
        {
            ticket = default;
            return true;
        }

        if (_known && now >= _resetAt)
        {
            _epoch++;
            _known = false;
            _probeInFlight = false;
            _staleSinceReset = 0;
        }

        if (!_known)
        {
            // A route not learned yet may share an exhausted bucket of its channel or guild (Discord puts message
            // creates and edits in one): its first request waits until every such bucket has reset.
            if (_probeInFlight || (Hash is null && _provisional.ExhaustedUntil(_stripe) > now))
            {
                ticket = default;
                return false;
            }

            _probeInFlight = true;
            _inFlight++;
            _lastUsed = now;
            ticket = new BucketTicket(this, _epoch, Probe: true, Provisional: CountProvisional());
            return true;
        }

        // Requests of this channel/guild on routes not learned yet may land in this bucket: keep a token for each.
        if (_remaining - _provisional.Read(_stripe) > 0)
        {
            _remaining--;
            _inFlight++;
            _lastUsed = now;
            PublishExhaustionLocked();
            ticket = new BucketTicket(this, _epoch, Probe: false);
            return true;
        }

        ticket = default;
        return false;
    }

    protected override long NextWakeLocked(long now)
    {
        if (!_known)
        {
            var exhaustedUntil = Hash is null ? _provisional.ExhaustedUntil(_stripe) : 0;
            return !_probeInFlight && exhaustedUntil > now ? exhaustedUntil : long.MaxValue;
        }

        // Held back only by unlearned requests elsewhere: look again soon (they are answered in one round trip).
        return _remaining > 0 ? Math.Min(_resetAt, now + ToTicks(ProvisionalRecheck)) : _resetAt;
    }

    /// <summary>
    /// Until its reset a known bucket grants no more than its remaining tokens (none after a 429): a caller with as many
    /// callers ahead is refused when the reset is not before its deadline. A new window's probes wait for responses, which
    /// nobody can time: refused only while an exhausted bucket of the channel or guild holds the probe past the deadline.
    /// </summary>
    protected override bool CouldGrantBeforeLocked(long now, long deadline, int ahead)
    {
        if (_retired)
        {
            return true;
        }

        if (_known && now < _resetAt)
        {
            return _resetAt < deadline || ahead < _remaining;
        }

        return Hash is not null || _provisional.ExhaustedUntil(_stripe) < deadline;
    }

    /// <summary>An empty bucket tells the unlearned routes of its channel or guild to wait for its reset.</summary>
    private void PublishExhaustionLocked()
    {
        if (_known && _remaining <= 0)
        {
            _provisional.MarkExhausted(_stripe, _resetAt);
        }
    }

    /// <summary>A probe of a route whose bucket hash is unknown is counted until it is answered.</summary>
    private bool CountProvisional()
    {
        if (Hash is not null)
        {
            return false;
        }

        _provisional.Increment(_stripe);
        return true;
    }

    /// <summary>Records the response to a request sent with <paramref name="ticket"/>.</summary>
    public void Complete(in BucketTicket ticket, in RateLimitHeaders headers)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            ReleaseLocked(ticket, now);
            if (ticket.Epoch != _epoch && !_known)
            {
                // Sent in the previous window, answered before this window's probe: the server may have counted it
                // in the new window, and nothing else will account for it.
                _staleSinceReset++;
            }

            if (ticket.Epoch == _epoch && headers.HasBucketState)
            {
                _limit = Math.Max(1, headers.Limit!.Value);
                var resetAt = now + ToTicks(headers.ResetAfter!.Value);
                if (!_known)
                {
                    // The probe's answer is the server's truth for this window; whatever is still in flight from
                    // an older window may yet land in this one, so it is spent already. Another route of this
                    // bucket may have been answered in this window before the probe was: take the lower count.
                    _known = true;
                    _remaining = Math.Max(0, headers.Remaining!.Value - _inFlight - _staleSinceReset);
                    _staleSinceReset = 0;
                    if (_observedResetAt > now)
                    {
                        _remaining = Math.Min(_remaining, _observedRemaining);
                        resetAt = Math.Max(resetAt, _observedResetAt);
                    }

                    _resetAt = resetAt;
                    _observedRemaining = int.MaxValue;
                    _observedResetAt = 0;
                }
                else
                {
                    _remaining = Math.Min(_remaining, headers.Remaining!.Value);
                    _resetAt = Math.Max(_resetAt, resetAt);
                }
            }

            PublishExhaustionLocked();

            // Only now, with what the response taught us applied, stop holding a token back for it elsewhere.
            EndProvisional(ticket);
            PumpLocked(now);
        }
    }

    /// <summary>
    /// A response from another route that shares this bucket (learned while this bucket already existed):
    /// it spent a token we did not count.
    /// </summary>
    public void Observe(in RateLimitHeaders headers)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            if (headers.HasBucketState && _known)
            {
                // That request took a token from this window that we never handed out (we only held one back while
                // it was in flight): spend it now, or the window's last token is given out twice.
                _remaining = Math.Max(0, Math.Min(_remaining - 1, headers.Remaining!.Value));
                _resetAt = Math.Max(_resetAt, now + ToTicks(headers.ResetAfter!.Value));
                PublishExhaustionLocked();
            }
            else if (headers.HasBucketState)
            {
                // Between windows (a probe is on its way): keep what this response says for when the probe's answer comes.
                _observedRemaining = Math.Min(_observedRemaining, headers.Remaining!.Value);
                _observedResetAt = Math.Max(_observedResetAt, now + ToTicks(headers.ResetAfter!.Value));
            }

            PumpLocked(now);
        }
    }

    /// <summary>A 429 for this bucket: nothing more is sent until <paramref name="retryAfter"/> has passed.</summary>
    public void BlockFor(TimeSpan retryAfter)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            var until = now + ToTicks(retryAfter);
            if (!_known)
            {
                _known = true;
                _probeInFlight = false;
                _resetAt = until;
            }
            else
            {
                _resetAt = Math.Max(_resetAt, until);
            }

            _remaining = 0;
            PublishExhaustionLocked();
            PumpLocked(now);
        }
    }

    /// <summary>Returns a ticket whose request was never sent: its token is given back.</summary>
    public void Abandon(in BucketTicket ticket)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            ReleaseLocked(ticket, now);
            if (ticket.Epoch == _epoch && !ticket.Probe && _known)
            {
                _remaining = Math.Min(_limit, _remaining + 1);
            }

            EndProvisional(ticket);
            PumpLocked(now);
        }
    }

    /// <summary>Retires the bucket: every waiter (now and later) is told to resolve its route again.</summary>
    public void Retire()
    {
        lock (Gate)
        {
            _retired = true;
            PumpLocked(TimeProvider.GetTimestamp());
        }
    }

    /// <summary>
    /// Retires the bucket if nobody used it since <paramref name="idleSince"/>, nothing is in flight or waiting, and its
    /// window has reset by <paramref name="now"/> (forgetting an exhausted bucket early could let a request through).
    /// </summary>
    public bool TryRetireIfIdle(long idleSince, long now)
    {
        lock (Gate)
        {
            if (_retired)
            {
                return true;
            }

            if (!IsIdleLocked(idleSince, now))
            {
                return false;
            }

            _retired = true;
            return true;
        }
    }

    /// <summary>Whether the bucket is idle in the sense of <see cref="TryRetireIfIdle"/>, without retiring it.</summary>
    public bool IsIdle(long idleSince, long now)
    {
        lock (Gate)
        {
            return _retired || IsIdleLocked(idleSince, now);
        }
    }

    private bool IsIdleLocked(long idleSince, long now) =>
        _inFlight == 0 && !HasWaitersLocked && _lastUsed <= idleSince && (!_known || now >= _resetAt);

    private void EndProvisional(in BucketTicket ticket)
    {
        if (ticket.Provisional)
        {
            _provisional.Decrement(_stripe);
        }
    }

    private void ReleaseLocked(in BucketTicket ticket, long now)
    {
        _inFlight = Math.Max(0, _inFlight - 1);
        _lastUsed = now;
        if (ticket.Probe && ticket.Epoch == _epoch)
        {
            _probeInFlight = false;
        }
    }

    private long ToTicks(TimeSpan duration) => (long)(duration.TotalSeconds * TimeProvider.TimestampFrequency);
}
