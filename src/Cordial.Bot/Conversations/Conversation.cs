using Cordial.Bot.Summaries;

namespace Cordial.Bot.Conversations;

/// <summary>A conversation ready for the prompt: its nodes oldest first, and warnings to show the user.</summary>
public sealed record Conversation(IReadOnlyList<MessageNode> Nodes, IReadOnlyList<string> Warnings)
{
    /// <summary>Image URLs to send, newest first up to the limit; empty for models without vision.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>A summary of the turns before <see cref="Nodes"/>, sent in their place; null when none is used.</summary>
    public ConversationSummary? Summary { get; init; }

    /// <summary>Estimated tokens of the nodes, their images and the summary (summed from stored counts).</summary>
    public int TokenCount { get; init; }
}
