using Cordial.Bot.Commands;
using Cordial.Bot.Delivery;
using Cordial.Bot.Diagnostics;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Adapters;

/// <summary>
/// A command's answer over the interaction endpoints: reply = callback type 4 (flag 64 when ephemeral), defer = type 5,
/// then <see cref="AsReplySurface"/> fills @original and sends follow-ups. Never pings anyone.
/// </summary>
/// <remarks>
/// The acknowledgement (the first callback) is timed from <paramref name="receivedTimestamp"/>, the INTERACTION_CREATE
/// frame's arrival, into <see cref="BotStats.InteractionToAck"/>; one Discord refused as expired is logged with that time.
/// </remarks>
internal sealed partial class InteractionCommandResponse(
    DiscordRestClient rest, JsonInteraction interaction, ILogger logger, long receivedTimestamp, BotStats stats) : ICommandResponse
{
    public Task ReplyAsync(string content, bool ephemeral, CancellationToken cancellationToken)
    {
        var message = new MessageCreate
        {
            Content = content.Length <= MessageSplitter.PlainLimit ? content : content[..(MessageSplitter.PlainLimit - 1)] + "…",
            AllowedMentions = JsonAllowedMentions.None,
            Flags = ephemeral ? MessageFlags.Ephemeral : null,
        };
        return AcknowledgeAsync(rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionCallback.Message(message), cancellationToken));
    }

    public async Task<ulong?> DeferAsync(bool ephemeral, CancellationToken cancellationToken)
    {
        var callback = rest.CreateInteractionResponseWithResultAsync(interaction.Id, interaction.Token, InteractionCallback.Defer(ephemeral), cancellationToken);
        await AcknowledgeAsync(callback);
        return (await callback).Interaction?.ResponseMessageId;
    }

    public IReplySurface AsReplySurface() => new InteractionReplySurface(rest, interaction);

    /// <summary>
    /// Sends the suggestions as an autocomplete result (callback type 8): at most 25, each name and value 1–100
    /// characters (longer ones are left out, not cut: a cut value would name no model); none = Discord shows nothing.
    /// </summary>
    public Task AutocompleteAsync(IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var sent = choices
            .Where(c => c.Length is > 0 and <= AutocompleteChoice.MaxLength)
            .Distinct(StringComparer.Ordinal)
            .Take(DiscordRestClient.MaxAutocompleteChoices)
            .Select(c => new AutocompleteChoice(c, c))
            .ToList();
        Log.Autocomplete(logger, interaction.Id, sent.Count);
        return AcknowledgeAsync(rest.CreateAutocompleteResponseAsync(interaction.Id, interaction.Token, sent, cancellationToken));
    }

    private async Task AcknowledgeAsync(Task callback)
    {
        try
        {
            await callback;
        }
        catch (DiscordRestException ex) when (ex.ErrorCode == UnknownInteraction)
        {
            Log.Expired(logger, interaction.Id, stats.Time.GetElapsedTime(receivedTimestamp).TotalMilliseconds);
            throw;
        }

        stats.RecordSince(stats.InteractionToAck, receivedTimestamp);
    }

    private const int UnknownInteraction = 10062;

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Interaction {InteractionId} was acknowledged {Milliseconds:F0} ms after it arrived and Discord had already expired it (3 s)")]
        public static partial void Expired(ILogger logger, ulong interactionId, double milliseconds);

        [LoggerMessage(1, LogLevel.Debug, "Autocomplete for interaction {InteractionId}: {Count} choices")]
        public static partial void Autocomplete(ILogger logger, ulong interactionId, int count);
    }
}
