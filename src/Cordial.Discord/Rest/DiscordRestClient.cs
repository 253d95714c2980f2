using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cordial.Discord.Rest.RateLimits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Discord.Rest;

/// <summary>
/// Discord's REST API: waits for rate limits instead of drawing 429s, obeys the 429s that happen anyway,
/// retries idempotent calls after server errors and reports failures as <see cref="DiscordRestException"/>.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per bot token. The <see cref="HttpClient"/> is injected and not disposed here
/// (IHttpClientFactory-friendly); its BaseAddress and default headers are not used. Dispose the client to stop
/// its rate-limit timers.
/// </remarks>
public sealed partial class DiscordRestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly ProductInfoHeaderValue[] _userAgent;
    private readonly int _maxServerErrorRetries;
    private readonly TimeSpan _serverErrorBackoff;
    private readonly int _maxRateLimitRetries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RateLimitManager _rateLimits;
    private long _requests;
    private long _retries;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">Sends the requests; not disposed by this client.</param>
    /// <param name="options">Validated here (an <see cref="ArgumentException"/> names every bad setting) and copied.</param>
    /// <param name="timeProvider">Clock for rate limits and retry delays; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Optional logger; message content and tokens are never logged.</param>
    /// <param name="meterFactory">
    /// When given, publishes observable instruments on the meter "Cordial.Discord.Rest": requests, 429s, retries
    /// (counters), invalid requests in the last ten minutes and learned buckets (gauges).
    /// </param>
    public DiscordRestClient(HttpClient httpClient, RestClientOptions options, TimeProvider? timeProvider = null, ILogger<DiscordRestClient>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Discord REST settings: " + string.Join(" ", errors), nameof(options));
        }

        _http = httpClient;
        _baseAddress = options.BaseAddress;
        _authorization = new AuthenticationHeaderValue("Bot", options.NormalizedToken);
        _userAgent = ParseUserAgent(options.UserAgent);
        _maxServerErrorRetries = options.MaxServerErrorRetries;
        _serverErrorBackoff = options.ServerErrorBackoff;
        _maxRateLimitRetries = options.MaxRateLimitRetries;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _rateLimits = new RateLimitManager(_timeProvider, _logger, options.GlobalRequestsPerSecond, options.BucketIdleTimeout);
        if (meterFactory is not null)
        {
            var meter = meterFactory.Create(MeterName);
            meter.CreateObservableCounter("cordial.discord.rest.requests", () => Interlocked.Read(ref _requests), "{request}", "HTTP requests sent to Discord, retries included");
            meter.CreateObservableCounter("cordial.discord.rest.rate_limited", () => _rateLimits.TooManyRequests, "{response}", "429 responses received from Discord");
            meter.CreateObservableCounter("cordial.discord.rest.retries", () => Interlocked.Read(ref _retries), "{request}", "Requests repeated after a 429, a 5xx or a network failure");
            meter.CreateObservableGauge("cordial.discord.rest.invalid_requests", () => _rateLimits.InvalidRequests, "{response}", "401/403/429 responses in the last ten minutes (Discord bans at 10000)");
            meter.CreateObservableGauge("cordial.discord.rest.buckets", () => _rateLimits.BucketCount, "{bucket}", "Rate-limit buckets currently learned");
        }
    }

    /// <summary>The name of the meter the client publishes its instruments on.</summary>
    public const string MeterName = "Cordial.Discord.Rest";

    /// <summary>Current counters (requests, 429s, retries, invalid requests, buckets).</summary>
    public RestClientStatistics GetStatistics() => new(
        Interlocked.Read(ref _requests),
        _rateLimits.TooManyRequests,
        Interlocked.Read(ref _retries),
        _rateLimits.InvalidRequests,
        _rateLimits.BucketCount,
        _rateLimits.RouteCount);

    internal RateLimitManager RateLimits => _rateLimits;

    /// <summary>
    /// Drops rate-limit routes and buckets idle for <see cref="RestClientOptions.BucketIdleTimeout"/> whose window has
    /// reset (requests in flight or waiting keep theirs; a dropped route is relearned on next use). The client also does
    /// this by itself on responses; call it from a timer so the maps shrink when traffic stops. Thread-safe.
    /// </summary>
    /// <returns>How many routes and buckets were dropped.</returns>
    public int PruneRateLimits() => _rateLimits.Prune();

    public void Dispose() => _rateLimits.Dispose();

    private Task<T> SendAsync<T>(Route route, Func<HttpContent?>? content, JsonTypeInfo<T> responseType, CancellationToken cancellationToken) =>
        SendAfterPermitAsync(route, content, responseType, cancellationToken)!;

    private Task SendAsync(Route route, Func<HttpContent?>? content, CancellationToken cancellationToken) =>
        SendAfterPermitAsync<object>(route, content, responseType: null, cancellationToken);

    /// <summary>
    /// Waits for the first attempt's permits in this small frame, then sends: under load (Discord's global limit
    /// saturated) ~1,000 requests wait here for seconds at once, and the sending frame (request, response, retries) would
    /// otherwise wait with each of them.
    /// </summary>
    private async Task<T?> SendAfterPermitAsync<T>(Route route, Func<HttpContent?>? content, JsonTypeInfo<T>? responseType, CancellationToken cancellationToken)
    {
        var ticket = await _rateLimits.AcquireAsync(route.Key, route.UsesWebhookToken, route.Priority, cancellationToken);
        return await SendCoreAsync(route, content, responseType, budget: null, ticket, cancellationToken);
    }

    /// <summary>
    /// Sends a best-effort request without a response body: false (nothing sent, nothing thrown) when the rate limits
    /// would hold it longer than <paramref name="maxWait"/>; failures otherwise as for any request.
    /// </summary>
    private async ValueTask<bool> TrySendAsync(Route route, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var budget = new WaitBudget(maxWait);
        await SendCoreAsync<object>(route, content: null, responseType: null, budget, acquired: null, cancellationToken);
        return !budget.Refused;
    }

    /// <param name="budget">
    /// Null: wait as long as the rate limits require. Otherwise every attempt waits at most its MaxWait for its permits
    /// and, refused, ends the call with default and Refused set.
    /// </param>
    /// <param name="acquired">The first attempt's permits, already taken (the call gives them back if it fails), or null.</param>
    private async Task<T?> SendCoreAsync<T>(
        Route route, Func<HttpContent?>? content, JsonTypeInfo<T>? responseType, WaitBudget? budget, RateLimitTicket? acquired, CancellationToken cancellationToken)
    {
        var serverErrorRetries = 0;
        var rateLimitRetries = 0;
        while (true)
        {
            RateLimitTicket ticket;
            if (acquired is { } first)
            {
                ticket = first;
                acquired = null;
            }
            else if (budget is null)
            {
                ticket = await _rateLimits.AcquireAsync(route.Key, route.UsesWebhookToken, route.Priority, cancellationToken);
            }
            else if (await _rateLimits.TryAcquireAsync(route.Key, route.UsesWebhookToken, route.Priority, budget.MaxWait, cancellationToken) is { } granted)
            {
                ticket = granted;
            }
            else
            {
                budget.Refused = true;
                return default;
            }

            HttpResponseMessage response;
            try
            {
                using var request = CreateRequest(route, content);
                Interlocked.Increment(ref _requests);
                Log.Sending(_logger, route.Method.Method, route.Template);
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (HttpRequestException exception) when (route.IsIdempotent && serverErrorRetries < _maxServerErrorRetries)
            {
                _rateLimits.Fail(ticket);
                serverErrorRetries++;
                Log.RetryingNetworkFailure(_logger, route, serverErrorRetries, exception);
                await DelayBeforeRetryAsync(serverErrorRetries, cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _rateLimits.Fail(ticket);
                throw;
            }
            catch
            {
                _rateLimits.Fail(ticket);
                throw;
            }

            using (response)
            {
                var headers = RateLimitHeaders.Parse(response.Headers);
                var status = (int)response.StatusCode;
                if (status == 429)
                {
                    var body = await ReadErrorAsync(response);
                    var retryAfter = RateLimitHeaders.ParseSeconds(body?.RetryAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _rateLimits.Complete(ticket, headers, status, retryAfter, body?.Global == true);
                    if (rateLimitRetries >= _maxRateLimitRetries)
                    {
                        throw CreateException(response.StatusCode, body, route);
                    }

                    rateLimitRetries++;
                    Interlocked.Increment(ref _retries);
                    continue;
                }

                _rateLimits.Complete(ticket, headers, status);
                if (status >= 500 && route.IsIdempotent && serverErrorRetries < _maxServerErrorRetries)
                {
                    serverErrorRetries++;
                    Log.RetryingServerError(_logger, route, status, serverErrorRetries);
                    await DelayBeforeRetryAsync(serverErrorRetries, cancellationToken);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    var body = await ReadErrorAsync(response);
                    var exception = CreateException(response.StatusCode, body, route);
                    Log.Failed(_logger, route, status, body?.Code);
                    throw exception;
                }

                if (responseType is null || response.StatusCode == HttpStatusCode.NoContent)
                {
                    return default;
                }

                try
                {
                    return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                        ?? throw new DiscordRestException($"Discord answered {route} with an empty body.");
                }
                catch (JsonException exception)
                {
                    throw new DiscordRestException($"Discord answered {route} with JSON that does not match the expected shape: {exception.Message}", exception);
                }
            }
        }
    }

    private HttpRequestMessage CreateRequest(Route route, Func<HttpContent?>? content)
    {
        var request = new HttpRequestMessage(route.Method, new Uri(_baseAddress, route.Path));
        if (!route.UsesWebhookToken)
        {
            request.Headers.Authorization = _authorization;
        }

        foreach (var product in _userAgent)
        {
            request.Headers.UserAgent.Add(product);
        }

        request.Content = content?.Invoke();
        return request;
    }

    private async Task DelayBeforeRetryAsync(int attempt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _retries);
        var delay = _serverErrorBackoff * Math.Pow(2, attempt - 1);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }

    /// <remarks>
    /// The body is already buffered (ResponseContentRead), so this neither blocks nor takes the caller's token:
    /// a cancellation here would leave the request's rate-limit permits unreturned.
    /// </remarks>
    private static async Task<JsonDiscordError?> ReadErrorAsync(HttpResponseMessage response)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, RestJsonContext.Default.JsonDiscordError);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DiscordRestException CreateException(HttpStatusCode status, JsonDiscordError? body, Route route) =>
        new(status, body?.Code, body?.Message, route.ToString(), body?.Errors is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } errors ? errors.GetRawText() : null);

    private static ProductInfoHeaderValue[] ParseUserAgent(string userAgent)
    {
        // "DiscordBot (url, version)" is a product followed by a comment; keep it verbatim when it parses.
        var header = new HttpRequestMessage().Headers;
        return header.UserAgent.TryParseAdd(userAgent) ? [.. header.UserAgent] : [new ProductInfoHeaderValue("DiscordBot", "1.0")];
    }

    private static Func<HttpContent?> Json<T>(T body, JsonTypeInfo<T> typeInfo) => () => JsonContent.Create(body, typeInfo);

    /// <summary>How long a best-effort request may wait for its permits, and whether it was refused.</summary>
    private sealed class WaitBudget(TimeSpan maxWait)
    {
        public TimeSpan MaxWait { get; } = maxWait;

        public bool Refused { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Trace, Message = "Sending {Method} /{Template}")]
        public static partial void Sending(ILogger logger, string method, string template);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Discord answered {Route} with {Status}; retry {Attempt}")]
        public static partial void RetryingServerError(ILogger logger, Route route, int status, int attempt);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Network failure on {Route}; retry {Attempt}")]
        public static partial void RetryingNetworkFailure(ILogger logger, Route route, int attempt, Exception exception);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Discord refused {Route}: {Status}, error code {Code}")]
        public static partial void Failed(ILogger logger, Route route, int status, int? code);
    }
}
