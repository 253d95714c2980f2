namespace Cordial.Bot.Conversations;

/// <summary>A message remembered by <see cref="ChannelActivity"/>: what chaining needs of it.</summary>
public readonly record struct RecentMessage(ulong Id, ulong AuthorId);
