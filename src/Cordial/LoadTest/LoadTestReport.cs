namespace Cordial.LoadTest;

/// <summary>Everything one run of <c>cordial loadtest</c> measured (serialized as the JSON report).</summary>
internal sealed class LoadTestReport
{
    public string Command { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public int ProcessorCount { get; set; }

    public string OperatingSystem { get; set; } = "";

    public string Runtime { get; set; } = "";

    public string? LoadAverageAtStart { get; set; }

    public string? LoadAverageAtEnd { get; set; }

    public int Users { get; set; }

    public int DurationSeconds { get; set; }

    public int WarmupSeconds { get; set; }

    public int Guilds { get; set; }

    public int Channels { get; set; }

    public int Threads { get; set; }

    public string Mix { get; set; } = "";

    public int TimeToFirstTokenMs { get; set; }

    public int TokensPerSecond { get; set; }

    public int AnswerTokens { get; set; }

    public int ThinkMs { get; set; }

    public int AnswerTimeoutSeconds { get; set; }

    public int Seed { get; set; }

    /// <summary>Length of the measured window, seconds (after the warm-up).</summary>
    public double MeasuredSeconds { get; set; }

    /// <summary>Messages and slash commands sent by the simulated users, warm-up included.</summary>
    public long MessagesSent { get; set; }

    public long MentionsSent { get; set; }

    /// <summary>Of the mentions, those that reply to an earlier answer.</summary>
    public long RepliesToAnswersSent { get; set; }

    public long SlashCommandsSent { get; set; }

    public long ImagesSent { get; set; }

    /// <summary>Complete answers observed, warm-up and drain included.</summary>
    public long Replies { get; set; }

    /// <summary>Complete answers observed during the measured window.</summary>
    public long RepliesInWindow { get; set; }

    /// <summary>Answers completed per second of the measured window.</summary>
    public double MessagesPerSecond { get; set; }

    /// <summary>Messages whose complete answer did not arrive (failure shown, timeout, request refused), warm-up included.</summary>
    public long Errors { get; set; }

    public List<ErrorCount> ErrorReasons { get; set; } = [];

    /// <summary>429 answers the Discord emulator gave the bot over the whole run (must be 0).</summary>
    public long Discord429s { get; set; }

    public long DiscordGlobal429s { get; set; }

    public long DiscordInvalidRequests { get; set; }

    /// <summary>REST requests of the bot during the measured window.</summary>
    public long DiscordRequests { get; set; }

    public double? DiscordRequestsPerReply { get; set; }

    /// <summary>The bot's REST requests during the measured window, per route shape, most used first.</summary>
    public List<RouteCount> DiscordRequestsByRoute { get; set; } = [];

    /// <summary>User's message (emulator time) → the bot's first non-empty message of the answer (emulator time).</summary>
    public LatencySummary TimeToFirstMessage { get; set; } = null!;

    /// <summary>User's message → the answer's final content.</summary>
    public LatencySummary AnswerTime { get; set; } = null!;

    /// <summary>The bot's own /stats (overhead histograms, process), or null when it has none (see <see cref="BotStatsError"/>).</summary>
    public BotStats? Bot { get; set; }

    public string? BotStatsError { get; set; }

    /// <summary>CPU seconds of the bot process during the measured window, read from /proc.</summary>
    public double? BotCpuSecondsMeasured { get; set; }

    public double? BotCpuSecondsTotal { get; set; }

    /// <summary>Peak resident set of the bot process over the whole run (VmHWM).</summary>
    public long? BotPeakRssBytes { get; set; }

    public long? BotRssBytesAtEnd { get; set; }

    public double? EmulatorCpuSecondsTotal { get; set; }

    public long? EmulatorPeakRssBytes { get; set; }

    public long EventsObserved { get; set; }

    public List<TimelinePoint> Timeline { get; set; } = [];

    /// <summary>0 errors and 0 × 429.</summary>
    public bool Passed => Errors == 0 && Discord429s == 0;
}
