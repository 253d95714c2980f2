namespace Cordial.Bot.Delivery;

/// <summary>
/// What reply delivery needs from Discord, for one channel (or thread, or DM): typing, create, edit.
/// The Discord client implements it; the bot never sees HTTP.
/// </summary>
/// <remarks>
/// <para><b>Rate limits.</b> Every call first awaits the channel's rate-limit bucket inside the implementation
/// (message creates and edits share the channel's bucket), then performs the request. A call therefore may take
/// as long as the bucket requires, and never produces a 429 for the caller to handle: the pacing of a streamed
/// reply comes from here. Typing alone is best effort: it gives up rather than wait past its budget. The reply streamer keeps at most one create or edit in flight per reply.</para>
/// <para><b>Mentions.</b> Every create and edit must send <see cref="OutgoingMessage.AllowedMentions"/>
/// (<c>{"parse": [], "replied_user": false}</c>).</para>
/// <para><b>Errors.</b> A failure that survives the implementation's own retries is thrown (any exception);
/// cancellation throws <see cref="OperationCanceledException"/>.</para>
/// <para>Implementations must be safe to call concurrently from different replies.</para>
/// </remarks>
public interface IReplySurface
{
    /// <summary>
    /// Shows the typing indicator in the channel (Discord shows it for about 10 seconds), best effort: skipped when the
    /// rate limits would hold it longer than <paramref name="maxWait"/> (refused at once when that is clear up front).
    /// </summary>
    /// <returns>True when shown (or nothing needs showing); false when skipped for rate limits, which is no error.</returns>
    ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Creates a message in the channel.</summary>
    /// <returns>The new message's id.</returns>
    Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Replaces the content or embed of a message the bot sent earlier in this channel.</summary>
    Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a message whose content is decided when Discord takes the request: <paramref name="latest"/> is asked
    /// after the rate-limit wait (once per attempt), so a create that queued behind a busy limit carries the newest
    /// text instead of the text it was queued with. The default asks at once.
    /// </summary>
    /// <returns>The new message's id.</returns>
    Task<ulong> SendLatestAsync(Func<OutgoingMessage> latest, CancellationToken cancellationToken) => SendAsync(latest(), cancellationToken);

    /// <summary>Replaces a message's content with what <paramref name="latest"/> returns when Discord takes the request (as for <see cref="SendLatestAsync"/>).</summary>
    Task EditLatestAsync(ulong messageId, Func<OutgoingMessage> latest, CancellationToken cancellationToken) => EditAsync(messageId, latest(), cancellationToken);
}
