using System.Collections.Concurrent;
using System.Text.Json;

namespace Cordial.LoadTest;

/// <summary>
/// Follows the Discord emulator's event stream (server-sent events of its control API) and matches the bot's messages to
/// the users' messages and slash commands they answer: a reply to a user's message (or to an earlier part of the same
/// answer), or a response to a user's interaction. Thread-safe; one reader task.
/// </summary>
/// <remarks>
/// Either side may come first: the user's task registers its message id after its POST returns, while the event of
/// the bot's first part may already have arrived; both meet in the same <see cref="PendingReply"/>.
/// </remarks>
internal sealed class ReplyTracker(ulong botUserId, string expectedAnswer)
{
    /// <summary>Pending answers are keyed by the user's message id or the interaction id.</summary>
    private readonly ConcurrentDictionary<ulong, PendingReply> _byRequest = new();
    private readonly ConcurrentDictionary<ulong, PendingReply> _byBotMessage = new();
    private readonly HashSet<ulong> _userIds = [];
    private long _events;
    private long _unparsable;

    public long Events => Interlocked.Read(ref _events);

    public long UnparsableEvents => Interlocked.Read(ref _unparsable);

    public int Pending => _byRequest.Count;

    /// <summary>Users whose messages are tracked (set before the stream starts).</summary>
    public void AddUser(ulong userId) => _userIds.Add(userId);

    /// <summary>The pending answer to a request; created if the stream has not shown it yet.</summary>
    public PendingReply Claim(ulong requestId, DateTimeOffset sentAt)
    {
        var pending = _byRequest.GetOrAdd(requestId, static id => new PendingReply(id));
        pending.NoteSent(sentAt);
        return pending;
    }

    /// <summary>Forgets a request whose outcome was taken.</summary>
    public void Release(PendingReply pending)
    {
        _byRequest.TryRemove(pending.RequestId, out _);
        foreach (var id in pending.PartIds())
        {
            _byBotMessage.TryRemove(id, out _);
        }
    }

    /// <summary>Reads events until the stream ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(Stream events, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(events);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Handle(line.AsSpan(6));
            }
        }
    }

    /// <summary>Handles one event's JSON.</summary>
    public void Handle(ReadOnlySpan<char> json)
    {
        Interlocked.Increment(ref _events);
        EmulatorEventWire? e;
        try
        {
            e = JsonSerializer.Deserialize(json, LoadTestJsonContext.Default.EmulatorEventWire);
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _unparsable);
            return;
        }

        if (e is null)
        {
            return;
        }

        switch (e.Type)
        {
            case "message_created" when e.Message is { } m && m.AuthorId != botUserId && m.InteractionId is null && _userIds.Contains(m.AuthorId):
                Claim(m.Id, m.CreatedAt);
                break;
            case "interaction_created" when e.InteractionId is { } interaction && e.UserId is { } user && _userIds.Contains(user):
                Claim(interaction, e.At);
                break;
            case "message_created" or "message_updated" when e.Message is { Deleted: false } m && m.AuthorId == botUserId:
                ObserveBotMessage(m, e.Type == "message_created" ? m.CreatedAt : e.At);
                break;
        }
    }

    private void ObserveBotMessage(EmulatorMessageWire message, DateTimeOffset at)
    {
        if (!_byBotMessage.TryGetValue(message.Id, out var pending))
        {
            if (message.InteractionId is { } interaction)
            {
                _byRequest.TryGetValue(interaction, out pending);
            }
            else if (message.ReplyToMessageId is { } parent)
            {
                // The first part replies to the user's message; each later part replies to the part before it.
                if (!_byRequest.TryGetValue(parent, out pending))
                {
                    _byBotMessage.TryGetValue(parent, out pending);
                }
            }

            if (pending is null || pending.IsDone)
            {
                return; // not an answer we wait for (e.g. a warning line under a finished answer)
            }

            _byBotMessage[message.Id] = pending;
        }

        pending.Observe(message.Id, message.Content, at, expectedAnswer);
    }
}
