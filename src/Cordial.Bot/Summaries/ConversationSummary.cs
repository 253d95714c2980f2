namespace Cordial.Bot.Summaries;

/// <summary>
/// A model-written summary of a conversation from its start down to <see cref="TailId"/>. The chain above a node never
/// changes, so every branch that continues below <see cref="TailId"/> can reuse it.
/// </summary>
/// <param name="TailId">The newest message the summary covers (its key).</param>
/// <param name="Text">The summary.</param>
/// <param name="TokenCount">Estimated tokens of <paramref name="Text"/>, computed once.</param>
/// <param name="Model">The model that wrote it.</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record ConversationSummary(ulong TailId, string Text, int TokenCount, string? Model, DateTimeOffset CreatedAt);
