namespace Cordial.Bot.Conversations;

/// <summary>A message remembered by <see cref="ChannelActivity"/>: what chaining needs of it.</summary>
/// <param name="Id">The message id.</param>
/// <param name="AuthorId">Its author; null when only the id is known (a channel's last message at the gateway's start).</param>
public readonly record struct RecentMessage(ulong Id, ulong? AuthorId);
