using System.Collections.Concurrent;
using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;
using Cordial.Bot.Responding;

namespace Cordial.Bot.Tests.Responding;

/// <summary>Plays Discord's REST side: records what each channel received, as the final text per message.</summary>
internal sealed class RecordingSurfaces : IChannelSurfaces
{
    private long _nextId = 500_000;

    public ConcurrentDictionary<ulong, SentMessage> Messages { get; } = new();
    public List<ChannelInfo> Threads { get; } = [];

    /// <summary>Awaited before each new message is recorded: a message waiting, as behind Discord's saturated global limit.</summary>
    public Func<Task>? Hold { get; set; }

    public IReplySurface For(ChannelInfo channel) => new Surface(this, channel.Id);

    public Task<ChannelInfo> StartThreadAsync(IncomingMessage message, string name, CancellationToken cancellationToken)
    {
        var thread = new ChannelInfo(message.Id, ChannelKind.Thread, message.GuildId, message.ChannelId) { ThreadOwnerId = 999, Name = name };
        lock (Threads)
        {
            Threads.Add(thread);
        }

        return Task.FromResult(thread);
    }

    public IReadOnlyList<SentMessage> In(ulong channelId) => Messages.Values.Where(m => m.ChannelId == channelId).OrderBy(m => m.Id).ToList();

    internal sealed record SentMessage(ulong Id, ulong ChannelId, ulong? ReplyTo, string Text, bool AllowedMentionsNone);

    private sealed class Surface(RecordingSurfaces owner, ulong channelId) : IReplySurface
    {
        public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public async Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            if (owner.Hold is { } hold)
            {
                await hold();
            }

            var id = (ulong)Interlocked.Increment(ref owner._nextId);
            owner.Messages[id] = new SentMessage(id, channelId, message.ReplyToMessageId, message.Text, message.AllowedMentions == AllowedMentions.None);
            return id;
        }

        public Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
        {
            owner.Messages[messageId] = owner.Messages[messageId] with { Text = message.Text };
            return Task.CompletedTask;
        }
    }
}
