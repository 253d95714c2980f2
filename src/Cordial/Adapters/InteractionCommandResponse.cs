using Cordial.Bot.Commands;
using Cordial.Bot.Delivery;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Adapters;

/// <summary>
/// A command's answer over the interaction endpoints: reply = callback type 4 (flag 64 when ephemeral), defer = type 5,
/// then <see cref="AsReplySurface"/> fills @original and sends follow-ups. Never pings anyone.
/// </summary>
internal sealed partial class InteractionCommandResponse(DiscordRestClient rest, JsonInteraction interaction, ILogger logger) : ICommandResponse
{
    public Task ReplyAsync(string content, bool ephemeral, CancellationToken cancellationToken)
    {
        var message = new MessageCreate
        {
            Content = content.Length <= MessageSplitter.PlainLimit ? content : content[..(MessageSplitter.PlainLimit - 1)] + "…",
            AllowedMentions = JsonAllowedMentions.None,
            Flags = ephemeral ? MessageFlags.Ephemeral : null,
        };
        return rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionCallback.Message(message), cancellationToken);
    }

    public Task DeferAsync(bool ephemeral, CancellationToken cancellationToken) =>
        rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionCallback.Defer(ephemeral), cancellationToken);

    public IReplySurface AsReplySurface() => new InteractionReplySurface(rest, interaction);

    public Task AutocompleteAsync(IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        // The REST client has no autocomplete-result body yet (callback type 8 needs data.choices): say nothing,
        // Discord then shows no suggestions. The typed value still works.
        Log.AutocompleteSkipped(logger, interaction.Id, choices.Count);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Autocomplete for interaction {InteractionId} not sent ({Count} choices): not supported by the REST client")]
        public static partial void AutocompleteSkipped(ILogger logger, ulong interactionId, int count);
    }
}
