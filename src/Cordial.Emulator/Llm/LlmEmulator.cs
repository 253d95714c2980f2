using System.Text.Json;

namespace Cordial.Emulator.Llm;

/// <summary>
/// State and control of the OpenAI/Anthropic-compatible LLM emulator: behaviors per model, scripts, faults and the
/// log of recorded requests.
/// </summary>
/// <remarks>
/// Thread-safe: every member may be called while requests are being served. Collections are bounded (scripts and
/// pending faults at <see cref="MaxEntries"/>, recorded requests at the last <see cref="MaxRecordedRequests"/>).
/// </remarks>
public sealed class LlmEmulator
{
    /// <summary>Answer of an unmatched request in <see cref="LlmAnswerMode.Scripted"/> mode.</summary>
    public const string NoScriptAnswer = "No scripted answer matches this message.";

    /// <summary>Prefix of an <see cref="LlmAnswerMode.Echo"/> answer.</summary>
    public const string EchoPrefix = "You said: ";

    /// <summary>Most scripts, and most pending faults, kept at once.</summary>
    public const int MaxEntries = 1_000;

    /// <summary>Number of most recent requests kept in <see cref="Requests"/>.</summary>
    public const int MaxRecordedRequests = 1_000;

    private const int ArgumentPieceLength = 12;

    private static readonly string[] FillerWords =
    [
        "the", "quick", "river", "carries", "small", "stones", "past", "a", "quiet", "mill", "while", "green",
        "birds", "sing", "over", "warm", "fields", "and", "every", "lantern", "keeps", "its", "steady", "light",
    ];

    private readonly Lock _gate = new();
    private readonly LlmBehavior _initialDefault;
    private readonly string[] _initialModels;
    private readonly List<string> _models;
    private readonly Dictionary<string, LlmBehavior> _behaviors = new(StringComparer.Ordinal);
    private readonly List<ScriptEntry> _scripts = [];
    private readonly List<FaultEntry> _faults = [];
    private readonly Queue<RecordedLlmRequest> _requests = new();
    private LlmBehavior _default;
    private long _nextId;
    private int _activeRequests;

    /// <summary>Creates an emulator from <paramref name="options"/> (copied: later changes to it have no effect).</summary>
    public LlmEmulator(LlmEmulatorOptions? options = null)
    {
        options ??= new LlmEmulatorOptions();
        TimeProvider = options.TimeProvider;
        _initialDefault = options.DefaultBehavior.Clone();
        _default = _initialDefault.Clone();
        _initialModels = options.Models.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct(StringComparer.Ordinal).ToArray();
        _models = [.. _initialModels];
    }

    /// <summary>The clock used for pacing and timestamps.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Known model ids, in the order /v1/models lists them.</summary>
    public IReadOnlyList<string> Models
    {
        get
        {
            lock (_gate)
            {
                return [.. _models];
            }
        }
    }

    /// <summary>The most recent requests (at most <see cref="MaxRecordedRequests"/>), oldest first. A snapshot.</summary>
    public IReadOnlyList<RecordedLlmRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Number of injected faults not yet consumed (a fault with count n counts n times).</summary>
    public int PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Sum(f => f.Remaining);
            }
        }
    }

    /// <summary>Sets the behavior of one model (a copy is stored). An unknown model id becomes known.</summary>
    public void SetBehavior(string model, LlmBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(behavior);
        var copy = behavior.Clone();
        lock (_gate)
        {
            if (!_models.Contains(model, StringComparer.Ordinal))
            {
                if (_models.Count >= MaxEntries)
                {
                    throw new InvalidOperationException($"The emulator knows {MaxEntries} models already.");
                }

                _models.Add(model);
            }

            _behaviors[model] = copy;
        }
    }

    /// <summary>Sets the behavior of every model that has none of its own (a copy is stored).</summary>
    public void SetDefaultBehavior(LlmBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        var copy = behavior.Clone();
        lock (_gate)
        {
            _default = copy;
        }
    }

    /// <summary>Returns a copy of the behavior a request for <paramref name="model"/> gets.</summary>
    public LlmBehavior GetBehavior(string model)
    {
        lock (_gate)
        {
            return (_behaviors.GetValueOrDefault(model) ?? _default).Clone();
        }
    }

    /// <summary>
    /// Answers <paramref name="answer"/> when the last user text contains <paramref name="whenLastUserMessageContains"/>
    /// (ordinal, case-insensitive). Scripts are consulted in every answer mode, in the order they were added.
    /// </summary>
    public void Script(string whenLastUserMessageContains, string answer)
    {
        ArgumentException.ThrowIfNullOrEmpty(whenLastUserMessageContains);
        ArgumentNullException.ThrowIfNull(answer);
        AddScript(new ScriptEntry(whenLastUserMessageContains, answer, null, null));
    }

    /// <summary>
    /// When the last user text contains <paramref name="whenLastUserMessageContains"/> and the request offers a tool
    /// named <paramref name="toolName"/>, the model calls it with <paramref name="argumentsJson"/> (a JSON object).
    /// The follow-up request that carries a tool result gets <paramref name="answerAfterToolResult"/>.
    /// </summary>
    public void ScriptToolCall(string whenLastUserMessageContains, string toolName, string argumentsJson, string answerAfterToolResult)
    {
        ArgumentException.ThrowIfNullOrEmpty(whenLastUserMessageContains);
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        ArgumentNullException.ThrowIfNull(argumentsJson);
        ArgumentNullException.ThrowIfNull(answerAfterToolResult);
        string compact;
        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("Tool arguments must be a JSON object.", nameof(argumentsJson));
            }

            compact = document.RootElement.GetRawText();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Tool arguments are not valid JSON: {e.Message}", nameof(argumentsJson), e);
        }

        AddScript(new ScriptEntry(whenLastUserMessageContains, answerAfterToolResult, toolName, compact));
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests for <paramref name="model"/> (any model when null) fail with
    /// <paramref name="fault"/>. Faults are consumed in the order they were injected.
    /// </summary>
    public void InjectFault(LlmFault fault, string? model = null, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        switch (fault)
        {
            case LlmFault.RateLimited r:
                ArgumentOutOfRangeException.ThrowIfLessThan(r.RetryAfter, TimeSpan.Zero, nameof(fault));
                break;
            case LlmFault.ServerError s when s.Status is < 500 or > 599:
                throw new ArgumentOutOfRangeException(nameof(fault), s.Status, "ServerError status must be 5xx.");
            case LlmFault.CutStream c:
                ArgumentOutOfRangeException.ThrowIfNegative(c.AfterTokens, nameof(fault));
                break;
        }

        lock (_gate)
        {
            if (_faults.Count >= MaxEntries)
            {
                throw new InvalidOperationException($"At most {MaxEntries} faults may be pending.");
            }

            _faults.Add(new FaultEntry(fault, string.IsNullOrEmpty(model) ? null : model) { Remaining = count });
        }
    }

    /// <summary>Forgets scripts, faults, recorded requests and behaviors set since start; models return to the options' list.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _behaviors.Clear();
            _scripts.Clear();
            _faults.Clear();
            _requests.Clear();
            _models.Clear();
            _models.AddRange(_initialModels);
            _default = _initialDefault.Clone();
        }
    }

    /// <summary>Chat requests being served right now (hanging ones included).</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    internal void RequestStarted() => Interlocked.Increment(ref _activeRequests);

    internal void RequestEnded() => Interlocked.Decrement(ref _activeRequests);

    internal bool IsKnownModel(string model)
    {
        lock (_gate)
        {
            return _models.Contains(model, StringComparer.Ordinal);
        }
    }

    internal LlmFault? TakeFault(string model)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var entry = _faults[i];
                if (entry.Model is null || string.Equals(entry.Model, model, StringComparison.Ordinal))
                {
                    entry.Remaining--;
                    if (entry.Remaining <= 0)
                    {
                        _faults.RemoveAt(i);
                    }

                    return entry.Fault;
                }
            }

            return null;
        }
    }

    internal void Record(RecordedLlmRequest request)
    {
        lock (_gate)
        {
            if (_requests.Count >= MaxRecordedRequests)
            {
                _requests.Dequeue();
            }

            _requests.Enqueue(request);
        }
    }

    internal string NextId(string prefix) => prefix + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal AnswerPlan Plan(ChatRequest request)
    {
        LlmBehavior behavior;
        ScriptEntry[] scripts;
        lock (_gate)
        {
            behavior = (_behaviors.GetValueOrDefault(request.Model) ?? _default).Clone();
            scripts = [.. _scripts];
        }

        var lastUser = request.LastUserText;
        string? text = null;
        PlannedToolCall? toolCall = null;
        foreach (var script in scripts)
        {
            if (!lastUser.Contains(script.Contains, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (script.ToolName is null)
            {
                text = script.Answer;
                break;
            }

            if (request.HasToolResultAfterLastUser)
            {
                text = script.Answer;
                break;
            }

            if (request.ToolNames.Contains(script.ToolName, StringComparer.Ordinal))
            {
                toolCall = new PlannedToolCall(script.ToolName, script.ArgumentsJson!, Chunk(script.ArgumentsJson!));
                break;
            }
        }

        if (text is null && toolCall is null)
        {
            text = behavior.Answer switch
            {
                LlmAnswerMode.Filler => Filler(behavior.FillerTokens),
                LlmAnswerMode.Scripted => NoScriptAnswer,
                _ => EchoPrefix + lastUser,
            };
        }

        var reasoning = behavior.Reasoning is { Length: > 0 } r ? WordTokens.Split(r) : [];
        var pieces = text is null ? [] : WordTokens.Split(text);
        var finish = toolCall is null ? AnswerFinish.Stop : AnswerFinish.ToolCall;
        if (toolCall is null && request.MaxTokens is { } max && reasoning.Count + pieces.Count > max)
        {
            var keep = Math.Max(0, max - reasoning.Count);
            pieces = pieces[..keep];
            finish = AnswerFinish.Length;
        }

        return new AnswerPlan
        {
            Behavior = behavior,
            ReasoningPieces = reasoning,
            TextPieces = pieces,
            ToolCall = toolCall,
            Finish = finish,
            PromptTokens = request.PromptTokens,
        };
    }

    private void AddScript(ScriptEntry entry)
    {
        lock (_gate)
        {
            if (_scripts.Count >= MaxEntries)
            {
                throw new InvalidOperationException($"At most {MaxEntries} scripts may be set.");
            }

            _scripts.Add(entry);
        }
    }

    private static string Filler(int words)
    {
        var builder = new System.Text.StringBuilder(words * 6);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(FillerWords[i % FillerWords.Length]);
        }

        return builder.ToString();
    }

    private static List<string> Chunk(string json)
    {
        var pieces = new List<string>();
        for (var i = 0; i < json.Length; i += ArgumentPieceLength)
        {
            pieces.Add(json.Substring(i, Math.Min(ArgumentPieceLength, json.Length - i)));
        }

        return pieces;
    }

    private sealed record ScriptEntry(string Contains, string Answer, string? ToolName, string? ArgumentsJson);

    private sealed record FaultEntry(LlmFault Fault, string? Model)
    {
        public int Remaining { get; set; }
    }
}
