using Cordial.Bot.Commands;
using Cordial.Bot.Delivery;

namespace Cordial.Bot.Tests.Commands;

internal sealed class RecordingCommandResponse : ICommandResponse
{
    private ulong _nextId = 900_000;

    public List<(string Content, bool Ephemeral)> Replies { get; } = [];
    public bool? DeferredEphemeral { get; private set; }
    public IReadOnlyList<string>? Choices { get; private set; }
    public Dictionary<ulong, string> SurfaceMessages { get; } = [];

    public Task ReplyAsync(string content, bool ephemeral, CancellationToken cancellationToken)
    {
        Replies.Add((content, ephemeral));
        return Task.CompletedTask;
    }

    /// <summary>The "thinking…" message a deferral made (its id comes from the same sequence as the surface's messages).</summary>
    public ulong? LoadingMessageId { get; private set; }

    public Task<ulong?> DeferAsync(bool ephemeral, CancellationToken cancellationToken)
    {
        DeferredEphemeral = ephemeral;
        lock (SurfaceMessages)
        {
            LoadingMessageId = ++_nextId;
        }

        return Task.FromResult(LoadingMessageId);
    }

    public IReplySurface AsReplySurface() => new Surface(this);

    public Task AutocompleteAsync(IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        Choices = choices;
        return Task.CompletedTask;
    }

    private sealed class Surface(RecordingCommandResponse owner) : IReplySurface
    {
        public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            lock (owner.SurfaceMessages)
            {
                // The first send fills the deferred "thinking…" message (Discord's @original keeps its id).
                var id = owner.LoadingMessageId is { } loading && !owner.SurfaceMessages.ContainsKey(loading) ? loading : ++owner._nextId;
                owner.SurfaceMessages[id] = message.Text;
                return Task.FromResult(id);
            }
        }

        public Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
        {
            lock (owner.SurfaceMessages)
            {
                owner.SurfaceMessages[messageId] = message.Text;
            }

            return Task.CompletedTask;
        }
    }
}
