using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Tests.Conversations;

/// <summary>
/// Plays Discord's part for conversation tests: holds every message per channel, answers fetches like REST would,
/// and counts them so tests can prove that known messages cost no request.
/// </summary>
internal sealed class FakeDiscordHistory : IMessageSource, IAttachmentReader
{
    public const ulong BotId = 999;
    public static readonly ChannelInfo General = new(10, ChannelKind.GuildText, GuildId: 1, CategoryId: 5);
    public static readonly ChannelInfo Dm = new(20, ChannelKind.DirectMessage);

    // Tests drive many users at once: every access to the history holds the gate.
    private readonly Lock _gate = new();
    private readonly List<IncomingMessage> _messages = [];
    private ulong _nextId = 1000;
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);
    public Dictionary<string, string> AttachmentTexts { get; } = new();

    public static ChannelInfo ThreadOf(ulong starterMessageId) =>
        new(starterMessageId, ChannelKind.Thread, GuildId: 1, ParentChannelId: General.Id, CategoryId: 5) { ThreadOwnerId = BotId };

    public IncomingMessage Say(ChannelInfo channel, ulong authorId, string content, ulong? replyTo = null, bool mention = false, IReadOnlyList<IncomingAttachment>? attachments = null)
    {
        lock (_gate)
        {
            return SayLocked(channel, authorId, content, replyTo, mention, attachments);
        }
    }

    private IncomingMessage SayLocked(ChannelInfo channel, ulong authorId, string content, ulong? replyTo, bool mention, IReadOnlyList<IncomingAttachment>? attachments)
    {
        var message = new IncomingMessage
        {
            Id = _nextId++,
            ChannelId = channel.Id,
            Channel = channel,
            Author = new MessageAuthor(authorId, authorId == BotId ? "Cordial" : $"user{authorId}", authorId == BotId),
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(_nextId),
            Content = mention ? $"<@{BotId}> {content}" : content,
            MentionedUserIds = mention ? [BotId] : [],
            ReplyToMessageId = replyTo,
            Attachments = attachments ?? [],
        };
        _messages.Add(message);
        return message;
    }

    /// <summary>Edits a message as its author would (what a later fetch returns).</summary>
    public IncomingMessage Edit(ulong id, string content, IReadOnlyList<IncomingAttachment>? attachments = null)
    {
        lock (_gate)
        {
            var index = _messages.FindIndex(m => m.Id == id);
            var edited = _messages[index] with { Content = content, Attachments = attachments ?? _messages[index].Attachments };
            _messages[index] = edited;
            return edited;
        }
    }

    public void Delete(ulong id)
    {
        lock (_gate)
        {
            _messages.RemoveAll(m => m.Id == id);
        }
    }

    public Task<IncomingMessage?> GetMessageAsync(ChannelInfo channel, ulong messageId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        lock (_gate)
        {
            return Task.FromResult(_messages.FirstOrDefault(m => m.Id == messageId && m.ChannelId == channel.Id));
        }
    }

    public Task<IncomingMessage?> GetMessageBeforeAsync(ChannelInfo channel, ulong beforeMessageId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        lock (_gate)
        {
            return Task.FromResult(_messages.Where(m => m.ChannelId == channel.Id && m.Id < beforeMessageId).MaxBy(m => m.Id));
        }
    }

    public Task<string?> ReadTextAsync(IncomingAttachment attachment, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(AttachmentTexts.TryGetValue(attachment.Url, out var text) ? text[..Math.Min(text.Length, maxBytes)] : null);
}
