using Cordial.Bot.Delivery;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;

namespace Cordial.Adapters;

/// <summary>
/// The answer to a deferred interaction as a reply surface: the first send fills the deferred original response, later
/// sends are follow-ups; edits go to @original or, for follow-ups, to the message in the channel.
/// </summary>
/// <remarks>The reply streamer keeps one call in flight per reply; the original id is published before the next call.</remarks>
internal sealed class InteractionReplySurface(DiscordRestClient rest, JsonInteraction interaction) : IReplySurface
{
    private long _originalId;

    public Task TriggerTypingAsync(CancellationToken cancellationToken) => Task.CompletedTask; // "thinking…" is shown already

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

        var channelId = interaction.ChannelId ?? interaction.Channel?.Id
            ?? throw new InvalidOperationException("The interaction has no channel: its follow-up cannot be edited.");
        await rest.EditMessageAsync(channelId, messageId, RestWire.ToEdit(message), cancellationToken);
    }
}
