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

    public Task DeferAsync(bool ephemeral, CancellationToken cancellationToken)
    {
        DeferredEphemeral = ephemeral;
        return Task.CompletedTask;
    }

    public IReplySurface AsReplySurface() => new Surface(this);

    public Task AutocompleteAsync(IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        Choices = choices;
        return Task.CompletedTask;
    }

    private sealed class Surface(RecordingCommandResponse owner) : IReplySurface
    {
        public Task TriggerTypingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            lock (owner.SurfaceMessages)
            {
                var id = ++owner._nextId;
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
