using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Cordial.Bot.Conversations;
using Cordial.Bot.Responding;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Summaries;

/// <summary>
/// Makes conversation summaries in the background: a bounded queue, one summary at a time, at most one in flight per
/// conversation tail. A summary covers the tail and everything above it, starting from an earlier summary when one
/// exists higher up the chain (so a growing conversation is summarized incrementally). It is asked of the model through
/// the same <see cref="IChatClient"/> pipeline as answers, then stored in <see cref="ISummaryStore"/>.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Request"/> never blocks and never throws for a full queue. A failure is logged (never shown
/// to users) and pauses new requests for a minute; the tail is asked again by a later message. Disposing stops the worker.
/// </remarks>
public sealed partial class ConversationSummarizer : IAsyncDisposable
{
    /// <summary>The system instruction of a summary request; <c>{words}</c> is replaced by the length bound.</summary>
    public const string Instruction =
        "You summarize Discord conversations between users and an AI assistant, for the assistant's own later use. " +
        "Keep names, facts, numbers, decisions, requests and open questions; drop greetings and filler. " +
        "Write plain prose in the conversation's language, at most {words} words. Answer with the summary only.";

    /// <summary>The start of the user message of a summary request.</summary>
    public const string RequestPrefix = "Summarize this conversation:";

    private const int MaxNodes = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    private readonly IMessageNodeStore _nodes;
    private readonly ISummaryStore _summaries;
    private readonly IChatClient _chat;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConversationSummarizer> _logger;
    private readonly Channel<Job> _queue;
    private readonly ConcurrentDictionary<ulong, byte> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private long _retryAtTicks;
    private long _made;
    private long _failed;

    public ConversationSummarizer(
        IMessageNodeStore nodes,
        ISummaryStore summaries,
        IChatClient chat,
        ConversationOptions options,
        TimeProvider timeProvider,
        ILogger<ConversationSummarizer> logger)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(summaries);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _nodes = nodes;
        _summaries = summaries;
        _chat = chat;
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(options.SummaryQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the request is dropped, not waited for
        });
        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Summaries requested and not finished yet (queued or being made).</summary>
    public int Pending => _pending.Count;

    /// <summary>Summaries made and stored since start.</summary>
    public long Made => Interlocked.Read(ref _made);

    /// <summary>Summaries that failed since start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Asks for a summary of the conversation ending at <paramref name="tailId"/>, made with <paramref name="model"/>
    /// (its context window, when known, bounds what is sent). Returns false when it was not queued: summaries are off, the same tail is already pending, the queue is full, or
    /// summaries pause after a failure.
    /// </summary>
    public bool Request(ulong tailId, ModelChoice model, ulong? guildId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(model.Name, nameof(model));
        if (!_options.Summaries || _stop.IsCancellationRequested ||
            _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _retryAtTicks) ||
            !_pending.TryAdd(tailId, 0))
        {
            return false;
        }

        if (!_queue.Writer.TryWrite(new Job(tailId, model, guildId)))
        {
            _pending.TryRemove(tailId, out _);
            Log.QueueFull(_logger, tailId);
            return false;
        }

        return true;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stop))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(JobTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
                    await SummarizeAsync(job, linked.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref _failed);
                    Interlocked.Exchange(ref _retryAtTicks, (_time.GetUtcNow() + RetryDelay).UtcTicks);
                    Log.Failed(_logger, job.TailId, job.Model.Name, ex);
                }
                finally
                {
                    _pending.TryRemove(job.TailId, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task SummarizeAsync(Job job, CancellationToken cancellationToken)
    {
        if (await _summaries.GetAsync(job.TailId, cancellationToken) is not null)
        {
            return;
        }

        // Walk up from the tail (store only: every node of a built conversation is stored) until an earlier summary,
        // the conversation's start, or the input budget: the prompt cap, or the model's window less the summary's room.
        long input = _options.MaxPromptTokens;
        if (job.Model.ContextWindowTokens is { } window)
        {
            input = Math.Min(input, (long)window - _options.SummaryMaxTokens);
        }

        var limit = (int)Math.Max(100, input - TokenEstimator.Estimate(Instruction) - 20);
        var turns = new List<MessageNode>();
        ConversationSummary? earlier = null;
        var used = 0;
        ulong? id = job.TailId;
        while (id is { } current && turns.Count < MaxNodes)
        {
            if (current != job.TailId && await _summaries.GetAsync(current, cancellationToken) is { } found)
            {
                earlier = used + found.TokenCount <= limit ? found : null;
                break;
            }

            var node = await _nodes.GetAsync(current, cancellationToken);
            if (node is null || (turns.Count > 0 && used + node.Tokens > limit))
            {
                break;
            }

            turns.Add(node);
            used += node.Tokens;
            id = node.ParentId;
        }

        if (turns.Count == 0)
        {
            return; // the tail is gone (deleted or cleaned up)
        }

        turns.Reverse();
        var transcript = new StringBuilder(RequestPrefix).Append("\n\n");
        if (earlier is not null)
        {
            transcript.Append("(Summary of what came before: ").Append(earlier.Text).Append(")\n\n");
        }

        var maxChars = Math.Max(1_000, limit * 3); // one huge message alone is cut rather than overflowing the model
        foreach (var node in turns)
        {
            var text = node.Text.Length > maxChars ? node.Text[..maxChars] + " …" : node.Text;
            transcript.Append(node.Role == NodeRole.Assistant ? "Assistant" : node.AuthorName.Length > 0 ? node.AuthorName : "User")
                .Append(": ").Append(text).Append("\n\n");
        }

        var words = Math.Max(20, _options.SummaryMaxTokens * 3 / 4);
        var chatOptions = new ChatOptions { ModelId = job.Model.Name, MaxOutputTokens = _options.SummaryMaxTokens };
        if (job.GuildId is { } guild)
        {
            chatOptions.AdditionalProperties = new AdditionalPropertiesDictionary { [MessageResponder.GuildIdProperty] = guild };
        }

        List<ChatMessage> messages =
        [
            new(ChatRole.System, Instruction.Replace("{words}", words.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            new(ChatRole.User, transcript.ToString().TrimEnd()),
        ];
        var response = await _chat.GetResponseAsync(messages, chatOptions, cancellationToken);
        var summary = response.Text.Trim();
        if (summary.Length == 0)
        {
            throw new InvalidOperationException("The model returned an empty summary.");
        }

        await _summaries.PutAsync(
            new ConversationSummary(job.TailId, summary, TokenEstimator.Estimate(summary), job.Model.Name, _time.GetUtcNow()),
            cancellationToken);
        Interlocked.Increment(ref _made);
        Log.Made(_logger, job.TailId, turns.Count, earlier is not null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        await _worker;
        _stop.Dispose();
    }

    private sealed record Job(ulong TailId, ModelChoice Model, ulong? GuildId);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Summary of the conversation ending at {TailId} stored ({Turns} messages, from an earlier summary: {Incremental})")]
        public static partial void Made(ILogger logger, ulong tailId, int turns, bool incremental);

        [LoggerMessage(2, LogLevel.Warning, "Summary of the conversation ending at {TailId} with model {Model} failed; summaries pause for a minute")]
        public static partial void Failed(ILogger logger, ulong tailId, string model, Exception exception);

        [LoggerMessage(3, LogLevel.Debug, "Summary queue full: the conversation ending at {TailId} is summarized later")]
        public static partial void QueueFull(ILogger logger, ulong tailId);
    }
}
