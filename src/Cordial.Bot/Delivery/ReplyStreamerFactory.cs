using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Bot.Delivery;

/// <summary>Creates one <see cref="ReplyStreamer"/> per reply with the configured options. Thread-safe singleton.</summary>
public sealed class ReplyStreamerFactory
{
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ReplyStreamer> _logger;
    private readonly IGenerationFailureDescriber _failureDescriber;
    private readonly Diagnostics.BotStats? _stats;
    private ValidatedDeliveryOptions? _validated; // on first use: an invalid configuration fails the first reply, not start-up

    /// <summary>Creates the factory; options are validated by the first <see cref="Create"/> at the latest.</summary>
    public ReplyStreamerFactory(
        IOptions<DeliveryOptions> options,
        TimeProvider timeProvider,
        ILogger<ReplyStreamer> logger,
        IGenerationFailureDescriber failureDescriber,
        Diagnostics.BotStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(failureDescriber);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _failureDescriber = failureDescriber;
        _stats = stats;
    }

    /// <summary>A streamer for one reply in the channel behind <paramref name="surface"/>.</summary>
    /// <param name="surface">The channel (the caller owns it).</param>
    /// <param name="replyToMessageId">The message the first part replies to, or null.</param>
    /// <exception cref="OptionsValidationException">The delivery options are invalid.</exception>
    public ReplyStreamer Create(IReplySurface surface, ulong? replyToMessageId = null) =>
        new(surface, replyToMessageId, _validated ??= ValidatedDeliveryOptions.Of(_options), _timeProvider, _logger, _failureDescriber, _stats);
}
