using Cordial.Bot.Delivery;

namespace Cordial.Bot.Commands;

/// <summary>
/// How a command answers on Discord: within 3 s it must reply or defer. Implemented over the interaction callback and
/// webhook endpoints. Never pings anyone.
/// </summary>
public interface ICommandResponse
{
    /// <summary>Answers at once (ephemeral: only the user sees it).</summary>
    Task ReplyAsync(string content, bool ephemeral, CancellationToken cancellationToken);

    /// <summary>Acknowledges now and answers later (the user sees "thinking…").</summary>
    /// <returns>The id of the "thinking…" message the answer will fill, when Discord said it; otherwise null.</returns>
    Task<ulong?> DeferAsync(bool ephemeral, CancellationToken cancellationToken);

    /// <summary>A surface whose first send fills the deferred answer and whose later sends are follow-ups.</summary>
    IReplySurface AsReplySurface();

    /// <summary>Answers an autocomplete request with up to 25 choices.</summary>
    Task AutocompleteAsync(IReadOnlyList<string> choices, CancellationToken cancellationToken);
}
