using System.Text;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Pipeline;

/// <summary>
/// Gathers a stream's updates into the response they make, the way <see cref="ChatResponseExtensions.ToChatResponse(IEnumerable{ChatResponseUpdate})"/>
/// does, but without holding every update: a run of plain text (or reasoning) deltas of one message is kept as one string.
/// </summary>
/// <remarks>
/// A stage that records a stream for later (the response cache, a tool round's history) would otherwise keep one update
/// object graph per token alive for the whole answer; at 1,000 concurrent answers those survive into the oldest
/// generation and die there (docs/PERFORMANCE.md, "Fourth session"). An update with anything else (a finish reason,
/// usage, tool calls, properties) is kept as it is, in order. Not thread-safe: one recorder per stream.
/// </remarks>
internal sealed class UpdateRecorder
{
    private readonly List<ChatResponseUpdate> _kept = [];
    private readonly StringBuilder _run = new();
    private ChatResponseUpdate? _runStart;
    private bool _runIsReasoning;

    /// <summary>Records the next update of the stream.</summary>
    public void Add(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var delta = PlainDelta(update);
        if (delta is { } more && _runStart is not null && Continues(update, more.Reasoning))
        {
            _run.Append(more.Text);
            return;
        }

        EndRun();
        if (delta is { } first)
        {
            _runStart = update;
            _runIsReasoning = first.Reasoning;
            _run.Append(first.Text);
            return;
        }

        _kept.Add(update);
    }

    /// <summary>The response the recorded updates make (the recorder may go on recording afterwards).</summary>
    public ChatResponse ToChatResponse()
    {
        EndRun();
        return _kept.ToChatResponse();
    }

    /// <summary>The recorded updates so far, the current text run closed (the recorder may go on recording afterwards).</summary>
    public ChatResponseUpdate[] Snapshot()
    {
        EndRun();
        return [.. _kept];
    }

    /// <summary>The text of an update that is nothing but one text or reasoning delta, else null.</summary>
    private static (string Text, bool Reasoning)? PlainDelta(ChatResponseUpdate update)
    {
        if (update.FinishReason is not null || update.AdditionalProperties is { Count: > 0 } || update.ContinuationToken is not null
            || update.Contents.Count != 1)
        {
            return null;
        }

        return update.Contents[0] switch
        {
            TextContent { Annotations: null, AdditionalProperties: null } text => (text.Text, false),
            TextReasoningContent { Annotations: null, AdditionalProperties: null, ProtectedData: null } reasoning => (reasoning.Text, true),
            _ => null,
        };
    }

    private bool Continues(ChatResponseUpdate update, bool reasoning)
    {
        var start = _runStart!;
        return reasoning == _runIsReasoning
            && update.Role == start.Role
            && update.MessageId == start.MessageId
            && update.ResponseId == start.ResponseId
            && update.ModelId == start.ModelId
            && update.AuthorName == start.AuthorName
            && update.ConversationId == start.ConversationId;
    }

    private void EndRun()
    {
        if (_runStart is not { } start)
        {
            return;
        }

        var text = _run.ToString();
        AIContent content = _runIsReasoning ? new TextReasoningContent(text) : new TextContent(text);
        _kept.Add(new ChatResponseUpdate(start.Role, [content])
        {
            AuthorName = start.AuthorName,
            MessageId = start.MessageId,
            ResponseId = start.ResponseId,
            ModelId = start.ModelId,
            ConversationId = start.ConversationId,
            CreatedAt = start.CreatedAt,
        });
        _runStart = null;
        _run.Clear();
    }
}
