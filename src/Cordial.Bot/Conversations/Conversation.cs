namespace Cordial.Bot.Conversations;

/// <summary>A conversation ready for the prompt: its nodes oldest first, and warnings to show the user.</summary>
public sealed record Conversation(IReadOnlyList<MessageNode> Nodes, IReadOnlyList<string> Warnings)
{
    /// <summary>Image URLs to send, newest first up to the limit; empty for models without vision.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];
}
