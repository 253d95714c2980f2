using Cordial.Bot.Delivery;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;

namespace Cordial.Adapters;

/// <summary>
/// The answer to a deferred interaction as a reply surface: the first send fills the deferred original response, later
/// sends are follow-ups; edits go to @original or, for follow-ups, to the follow-up through the interaction webhook.
/// </summary>
/// <remarks>The reply streamer keeps one call in flight per reply; the original id is published before the next call.</remarks>
internal sealed class InteractionReplySurface(DiscordRestClient rest, JsonInteraction interaction) : IReplySurface
{
    private long _originalId;

    public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken) => ValueTask.FromResult(true); // "thinking…" is shown already

    public async Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _originalId) == 0)
        {
            var original = await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, RestWire.ToEdit(message), cancellationToken);
            Interlocked.Exchange(ref _originalId, (long)original.Id);
            return original.Id;
        }

        var followUp = await rest.CreateFollowupMessageAsync(interaction.ApplicationId, interaction.Token, RestWire.ToCreate(message, asReply: false), cancellationToken);
        return followUp.Id;
    }

    public async Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (messageId == (ulong)Interlocked.Read(ref _originalId))
        {
            await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, RestWire.ToEdit(message), cancellationToken);
            return;
        }

        // A follow-up is edited through the interaction's webhook: that works for ephemeral follow-ups too and spends the
        // interaction token's bucket, not the channel's (which the channel's other replies need).
        await rest.EditFollowupMessageAsync(interaction.ApplicationId, interaction.Token, messageId, RestWire.ToEdit(message), cancellationToken);
    }
}
