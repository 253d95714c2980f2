namespace Cordial.Bot.Delivery;

/// <summary>A message of a reply, told the moment Discord created it (see <see cref="ReplyStreamer.RunAsync(IAsyncEnumerable{Microsoft.Extensions.AI.ChatResponseUpdate}, Func{ReplyPart, CancellationToken, ValueTask}?, CancellationToken)"/>).</summary>
/// <param name="MessageId">The new message.</param>
/// <param name="PreviousMessageId">The reply's message before it, or null for the first.</param>
/// <param name="Text">What it shows so far (content or embed description); the reply's result has the final text.</param>
public readonly record struct ReplyPart(ulong MessageId, ulong? PreviousMessageId, string Text);
