using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// Decides when each request may go: its route's bucket first (learned from X-RateLimit-* headers, shared by
/// every route Discord puts in the same bucket), then the per-token global limit. Requests wait for a permit
/// instead of drawing a 429; a 429 that still happens is obeyed and counted.
/// </summary>
/// <remarks>
/// Thread-safe. Maps are bounded by idle expiry: a route or bucket unused for <c>idleTimeout</c> is dropped and
/// relearned on next use; one of an interaction's own routes (its token in the major parameter) after
/// <see cref="TokenRouteIdleTimeout"/> already, since each slash command brings new ones. Owns its buckets' timers:
/// dispose it with the client.
/// </remarks>
internal sealed partial class RateLimitManager : IDisposable
{
    /// <summary>Discord bans an IP after 10,000 invalid requests in ten minutes; we warn well before.</summary>
    public const int InvalidRequestWarningThreshold = 8_000;

    /// <summary>
    /// How long an idle route or bucket of one interaction (or webhook) token is kept, at most: every slash command
    /// adds two or three, and at ten minutes they were the largest map of a busy bot.
    /// </summary>
    public static readonly TimeSpan TokenRouteIdleTimeout = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<RouteKey, RouteState> _routes = new();
    private readonly ProvisionalRequestCounter _provisional = new();
    private readonly ConcurrentDictionary<(string Hash, string Major), RouteBucket> _buckets = new();

    // Discord's bucket hash belongs to the route, not to its major parameter: learned once, it places the route's
    // first request in any other channel straight into the right bucket. One entry per route template the client uses.
    private readonly ConcurrentDictionary<(string Method, string Template), string> _templateHashes = new();
    private readonly GlobalRateLimiter _global;
    private readonly InvalidRequestWindow _invalid;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _idleTimeout;
    private readonly long _tokenIdleTimeout;
    private readonly long _sweepInterval;
    private long _nextSweep;
    private long _nextInvalidWarning = long.MinValue;
    private long _tooManyRequests;

    public RateLimitManager(TimeProvider timeProvider, ILogger logger, int globalLimitPerSecond = 50, TimeSpan? idleTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _timeProvider = timeProvider;
        _logger = logger;
        _global = new GlobalRateLimiter(timeProvider, globalLimitPerSecond, TimeSpan.FromSeconds(1));
        _invalid = new InvalidRequestWindow(timeProvider);
        _idleTimeout = ToTicks(idleTimeout ?? TimeSpan.FromMinutes(10));
        _tokenIdleTimeout = Math.Min(_idleTimeout, ToTicks(TokenRouteIdleTimeout));
        _sweepInterval = ToTicks(TimeSpan.FromMinutes(1));
        _nextSweep = timeProvider.GetTimestamp() + _sweepInterval;
    }

    /// <summary>Invalid requests (401, 403, non-shared 429) in the last ten minutes.</summary>
    public int InvalidRequests => _invalid.Count;

    /// <summary>429 responses received since start.</summary>
    public long TooManyRequests => Interlocked.Read(ref _tooManyRequests);

    /// <summary>Learned buckets currently tracked.</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>Routes currently tracked.</summary>
    public int RouteCount => _routes.Count;

    internal GlobalRateLimiter Global => _global;

    internal RouteBucket? GetBucket(RouteKey route) => _routes.TryGetValue(route, out var state) ? state.Bucket : null;

    /// <summary>Waits until a request on <paramref name="route"/> may be sent.</summary>
    /// <remarks>When the route's bucket and the global limiter both have a permit, this completes synchronously without allocating.</remarks>
    public ValueTask<RateLimitTicket> AcquireAsync(RouteKey route, bool exemptFromGlobal, CancellationToken cancellationToken) =>
        AcquireAsync(route, exemptFromGlobal, RequestPriority.Normal, cancellationToken);

    /// <summary>Waits until a request on <paramref name="route"/> may be sent.</summary>
    /// <param name="route">The request's route.</param>
    /// <param name="exemptFromGlobal">Not counted against the global limit (interaction callbacks and webhooks).</param>
    /// <param name="priority">The request's lane in the global limiter while it is saturated.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public ValueTask<RateLimitTicket> AcquireAsync(RouteKey route, bool exemptFromGlobal, RequestPriority priority, CancellationToken cancellationToken)
    {
        if (_routes.TryGetValue(route, out var state) && state.Bucket is { } bucket)
        {
            var bucketAcquire = bucket.AcquireAsync(cancellationToken);
            if (!bucketAcquire.IsCompletedSuccessfully)
            {
                return AcquireSlowAsync(route, exemptFromGlobal, priority, state, bucket, bucketAcquire, cancellationToken);
            }

            var bucketTicket = bucketAcquire.Result;
            if (!bucketTicket.IsRetired)
            {
                if (exemptFromGlobal)
                {
                    return new ValueTask<RateLimitTicket>(new RateLimitTicket(route, state, bucketTicket, HoldsGlobal: false));
                }

                var globalAcquire = _global.AcquireAsync(priority, cancellationToken);
                if (globalAcquire.IsCompletedSuccessfully)
                {
                    _ = globalAcquire.Result;
                    return new ValueTask<RateLimitTicket>(new RateLimitTicket(route, state, bucketTicket, HoldsGlobal: true));
                }

                return AwaitGlobalAsync(new RateLimitTicket(route, state, bucketTicket, HoldsGlobal: true), globalAcquire);
            }

            state.TryReplace(bucket, NewProvisional(route));
        }

        return AcquireSlowAsync(route, exemptFromGlobal, priority, null, null, default, cancellationToken);
    }

    private static async ValueTask<RateLimitTicket> AwaitGlobalAsync(RateLimitTicket ticket, ValueTask<bool> globalAcquire)
    {
        try
        {
            await globalAcquire;
        }
        catch
        {
            ticket.Bucket.Bucket?.Abandon(ticket.Bucket);
            throw;
        }

        return ticket;
    }

    private async ValueTask<RateLimitTicket> AcquireSlowAsync(
        RouteKey route, bool exemptFromGlobal, RequestPriority priority, RouteState? pendingState, RouteBucket? pendingBucket, ValueTask<BucketTicket> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            RouteState state;
            RouteBucket? bucket;
            var bucketTicket = default(BucketTicket);
            if (pendingState is not null)
            {
                state = pendingState;
                bucket = pendingBucket;
                pendingState = null;
                bucketTicket = await pending;
            }
            else
            {
                state = _routes.GetOrAdd(route, static (key, self) => new RouteState(self.NewBucketFor(key)) { LastUsed = self._timeProvider.GetTimestamp() }, this);
                bucket = state.Bucket;
                if (bucket is not null)
                {
                    bucketTicket = await bucket.AcquireAsync(cancellationToken);
                }
            }

            if (bucket is not null && bucketTicket.IsRetired)
            {
                // Either the route moved to a shared bucket (state already points there) or its bucket
                // expired: then the route starts over with a provisional bucket.
                state.TryReplace(bucket, NewProvisional(route));
                continue;
            }

            if (!exemptFromGlobal)
            {
                try
                {
                    await _global.AcquireAsync(priority, cancellationToken);
                }
                catch
                {
                    bucket?.Abandon(bucketTicket);
                    throw;
                }
            }

            return new RateLimitTicket(route, state, bucketTicket, HoldsGlobal: !exemptFromGlobal);
        }
    }

    /// <summary>
    /// Waits for a best-effort request (a typing indicator) that would rather not be sent than let the route's bucket and
    /// the global limit hold it longer than <paramref name="maxWait"/> in all.
    /// </summary>
    /// <param name="route">The request's route.</param>
    /// <param name="exemptFromGlobal">Not counted against the global limit.</param>
    /// <param name="priority">The request's lane in the global limiter.</param>
    /// <param name="maxWait">The longest wait for both permits together.</param>
    /// <param name="cancellationToken">Stops waiting (throws).</param>
    /// <returns>
    /// The ticket; or null, holding no permit and throwing nothing: at once, without queueing anywhere, when the global
    /// limit or the bucket clearly cannot grant it within <paramref name="maxWait"/>, else when <paramref name="maxWait"/>
    /// passed while it waited. Completes synchronously when both permits are free or when refused at once.
    /// </returns>
    public ValueTask<RateLimitTicket?> TryAcquireAsync(RouteKey route, bool exemptFromGlobal, RequestPriority priority, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        // One deadline for both permits. The global check first: a refusal there then takes (and gives back) no bucket token.
        var deadline = GlobalRateLimiter.DeadlineAfter(_timeProvider, maxWait);
        if (!exemptFromGlobal && !_global.CouldGrantBefore(priority, deadline))
        {
            return new ValueTask<RateLimitTicket?>(default(RateLimitTicket?));
        }

        return TryAcquireCoreAsync(route, exemptFromGlobal, priority, deadline, cancellationToken);
    }

    private async ValueTask<RateLimitTicket?> TryAcquireCoreAsync(RouteKey route, bool exemptFromGlobal, RequestPriority priority, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = _routes.GetOrAdd(route, static (key, self) => new RouteState(self.NewBucketFor(key)) { LastUsed = self._timeProvider.GetTimestamp() }, this);
            var bucket = state.Bucket;
            var bucketTicket = default(BucketTicket);
            if (bucket is not null)
            {
                var (granted, ticket) = await bucket.TryAcquireBeforeAsync(RequestPriority.Normal, deadline, cancellationToken);
                if (!granted)
                {
                    return null;
                }

                if (ticket.IsRetired)
                {
                    state.TryReplace(bucket, NewProvisional(route));
                    continue;
                }

                bucketTicket = ticket;
            }

            if (!exemptFromGlobal)
            {
                bool granted;
                try
                {
                    (granted, _) = await _global.TryAcquireBeforeAsync(priority, deadline, cancellationToken);
                }
                catch
                {
                    bucket?.Abandon(bucketTicket);
                    throw;
                }

                if (!granted)
                {
                    bucket?.Abandon(bucketTicket);
                    return null;
                }
            }

            return new RateLimitTicket(route, state, bucketTicket, HoldsGlobal: !exemptFromGlobal);
        }
    }

    /// <summary>The request was never sent (cancelled, or failed before it left): its permits are given back.</summary>
    public void Abandon(in RateLimitTicket ticket)
    {
        if (ticket.HoldsGlobal)
        {
            _global.Release(sent: false);
        }

        ticket.Bucket.Bucket?.Abandon(ticket.Bucket);
    }

    /// <summary>
    /// Records a response. <paramref name="retryAfter"/> and <paramref name="global"/> come from a 429's body
    /// (the headers are used when the body had none).
    /// </summary>
    public void Complete(in RateLimitTicket ticket, in RateLimitHeaders headers, int statusCode, TimeSpan? retryAfter = null, bool global = false)
    {
        var now = _timeProvider.GetTimestamp();
        if (ticket.HoldsGlobal)
        {
            _global.Release(sent: true);
        }

        var state = ticket.State;
        state.LastUsed = now;
        var bucket = ticket.Bucket.Bucket;
        if (bucket is not null)
        {
            CompleteBucket(ticket, bucket, headers, statusCode);
        }
        else if (headers.Bucket is not null)
        {
            // A route we thought unlimited now reports a bucket: limit it from now on.
            state.TryReplace(null, _buckets.GetOrAdd((headers.Bucket, ticket.Route.Major), static (key, self) => self.NewLearned(key.Hash, key.Major), this));
        }

        if (statusCode is 401 or 403 || (statusCode == 429 && !headers.IsSharedScope))
        {
            RecordInvalid(now);
        }

        if (statusCode == 429)
        {
            Interlocked.Increment(ref _tooManyRequests);
            var wait = retryAfter ?? headers.RetryAfter ?? headers.ResetAfter ?? TimeSpan.FromSeconds(1);
            if (global || headers.Global)
            {
                _global.PauseFor(wait);
                Log.GlobalRateLimited(_logger, ticket.Route, wait);
            }
            else
            {
                var blocked = state.Bucket;
                if (blocked is null)
                {
                    blocked = NewProvisional(ticket.Route);
                    state.TryReplace(null, blocked);
                    blocked = state.Bucket ?? blocked;
                }

                blocked.BlockFor(wait);
                Log.RouteRateLimited(_logger, ticket.Route, wait, headers.Scope ?? "user", headers.Bucket);
            }
        }

        if (now >= Interlocked.Read(ref _nextSweep))
        {
            Sweep(now);
        }
    }

    /// <summary>The request was sent but no response came (network failure): permits are spent, nothing learned.</summary>
    public void Fail(in RateLimitTicket ticket)
    {
        if (ticket.HoldsGlobal)
        {
            _global.Release(sent: true);
        }

        ticket.Bucket.Bucket?.Complete(ticket.Bucket, default);
    }

    private void CompleteBucket(in RateLimitTicket ticket, RouteBucket bucket, in RateLimitHeaders headers, int statusCode)
    {
        var state = ticket.State;
        var hash = headers.Bucket;
        if (hash is null || string.Equals(hash, bucket.Hash, StringComparison.Ordinal))
        {
            if (hash is null && bucket.Hash is null && !headers.HasBucketState && statusCode is >= 200 and < 300
                && state.TryReplace(bucket, null))
            {
                // Discord sent no bucket for this route: only the global limit applies to it. Retire first, so
                // the waiters re-resolve instead of taking the probe this response frees.
                bucket.Retire();
            }

            bucket.Complete(ticket.Bucket, headers);
            return;
        }

        var route = ticket.Route;
        if (!_templateHashes.TryGetValue((route.Method, route.Template), out var known) || !string.Equals(known, hash, StringComparison.Ordinal))
        {
            _templateHashes[(route.Method, route.Template)] = hash;
        }

        var key = (hash, route.Major);
        if (bucket.Hash is null)
        {
            // First response on a provisional bucket: it becomes the bucket, unless another route got there first.
            bucket.Hash = hash;
            var shared = _buckets.GetOrAdd(key, bucket);
            if (ReferenceEquals(shared, bucket))
            {
                bucket.Complete(ticket.Bucket, headers);
                Log.BucketLearned(_logger, ticket.Route, hash, headers.Limit ?? 0);
                return;
            }

            state.TryReplace(bucket, shared);
            bucket.Retire();
            shared.Observe(headers);
            bucket.Complete(ticket.Bucket, default);
            Log.BucketShared(_logger, ticket.Route, hash);
            return;
        }

        // Discord moved the route to another bucket.
        bucket.Complete(ticket.Bucket, default);
        var target = _buckets.GetOrAdd(key, static (k, self) => self.NewLearned(k.Hash, k.Major), this);
        target.Observe(headers);
        state.TryReplace(bucket, target);
        Log.BucketLearned(_logger, ticket.Route, hash, headers.Limit ?? 0);
    }

    private void RecordInvalid(long now)
    {
        var count = _invalid.Record();
        if (count >= InvalidRequestWarningThreshold && now >= Interlocked.Read(ref _nextInvalidWarning))
        {
            Interlocked.Exchange(ref _nextInvalidWarning, now + ToTicks(TimeSpan.FromMinutes(1)));
            Log.InvalidRequestsHigh(_logger, count, InvalidRequestWindow.Window);
        }
    }

    /// <summary>
    /// Drops routes and buckets idle for the idle timeout whose window has reset; anything with a request in flight or
    /// waiting is kept. Runs by itself at most once a minute on responses; the housekeeping timer calls it too, so the
    /// maps shrink even when traffic stops. Returns how many entries were dropped.
    /// </summary>
    public int Prune() => Sweep(_timeProvider.GetTimestamp());

    private int Sweep(long now)
    {
        Interlocked.Exchange(ref _nextSweep, now + _sweepInterval);
        var removed = 0;
        foreach (var (key, state) in _routes)
        {
            var idleSince = now - (key.HasTokenMajor ? _tokenIdleTimeout : _idleTimeout);
            if (state.LastUsed > idleSince)
            {
                continue;
            }

            // A learned bucket may be shared with other routes: only check it here (the loop below retires it); a
            // provisional bucket is the route's own and goes with it.
            var bucket = state.Bucket;
            if ((bucket is null || (bucket.Hash is not null ? bucket.IsIdle(idleSince, now) : bucket.TryRetireIfIdle(idleSince, now)))
                && _routes.TryRemove(KeyValuePair.Create(key, state)))
            {
                removed++;
            }
        }

        foreach (var (key, bucket) in _buckets)
        {
            var idleSince = now - (RouteKey.IsTokenMajor(key.Major) ? _tokenIdleTimeout : _idleTimeout);
            if (bucket.TryRetireIfIdle(idleSince, now) && _buckets.TryRemove(KeyValuePair.Create(key, bucket)))
            {
                bucket.Dispose();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// The bucket of a route seen for the first time: the learned bucket of its template's hash in its major when that
    /// hash is known (its first request waits for nothing but that bucket), else a provisional one.
    /// </summary>
    private RouteBucket NewBucketFor(RouteKey route) =>
        _templateHashes.TryGetValue((route.Method, route.Template), out var hash)
            ? _buckets.GetOrAdd((hash, route.Major), static (key, self) => self.NewLearned(key.Hash, key.Major), this)
            : NewProvisional(route);

    private RouteBucket NewProvisional(RouteKey route) => new(_timeProvider, hash: null, _provisional, route.Major);

    private RouteBucket NewLearned(string hash, string major) => new(_timeProvider, hash, _provisional, major);

    private long ToTicks(TimeSpan duration) => (long)(duration.TotalSeconds * _timeProvider.TimestampFrequency);

    public void Dispose()
    {
        _global.Dispose();
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }

        foreach (var state in _routes.Values)
        {
            state.Bucket?.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Discord rate limit hit on {Route}: waiting {RetryAfter} (scope {Scope}, bucket {Bucket})")]
        public static partial void RouteRateLimited(ILogger logger, RouteKey route, TimeSpan retryAfter, string scope, string? bucket);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Discord global rate limit hit on {Route}: every request waits {RetryAfter}")]
        public static partial void GlobalRateLimited(ILogger logger, RouteKey route, TimeSpan retryAfter);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "{Count} invalid Discord requests (401/403/429) within {Window}; Discord bans the IP at 10000")]
        public static partial void InvalidRequestsHigh(ILogger logger, int count, TimeSpan window);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Route {Route} uses bucket {Bucket} (limit {Limit})")]
        public static partial void BucketLearned(ILogger logger, RouteKey route, string bucket, int limit);

        [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Route {Route} shares bucket {Bucket} with another route")]
        public static partial void BucketShared(ILogger logger, RouteKey route, string bucket);
    }
}
