namespace Cordial.LoadTest;

/// <summary>The flags of <c>cordial loadtest</c>, validated; a bad flag is a <see cref="FormatException"/> that names it.</summary>
internal sealed record LoadTestOptions
{
    public int Users { get; init; } = 100;

    /// <summary>Measured seconds (after the warm-up).</summary>
    public int DurationSeconds { get; init; } = 30;

    public int WarmupSeconds { get; init; } = 3;

    public int Guilds { get; init; } = 10;

    /// <summary>Text channels per guild.</summary>
    public int ChannelsPerGuild { get; init; } = 10;

    public ScenarioMix Mix { get; init; } = ScenarioMix.Default;

    public int TimeToFirstTokenMs { get; init; } = 300;

    public int TokensPerSecond { get; init; } = 50;

    public int AnswerTokens { get; init; } = 60;

    /// <summary>Mean pause between an answer and the user's next message (uniform from half to one and a half times it).</summary>
    public int ThinkMs { get; init; } = 1000;

    /// <summary>An answer not complete this long after its message is an error.</summary>
    public int AnswerTimeoutSeconds { get; init; } = 120;

    public int Seed { get; init; } = 1;

    public string? OutDirectory { get; init; }

    public string? JsonPath { get; init; }

    public string? HtmlPath { get; init; }

    /// <summary>Every flag the verb knows.</summary>
    public static IReadOnlyList<string> Flags { get; } =
    [
        "users", "duration", "warmup", "guilds", "channels", "mix", "ttft-ms", "tokens-per-second", "answer-tokens",
        "think-ms", "answer-timeout", "seed", "out", "json", "html",
    ];

    public static LoadTestOptions Parse(CommandArguments arguments)
    {
        foreach (var name in arguments.Names)
        {
            if (!Flags.Contains(name, StringComparer.Ordinal))
            {
                throw new FormatException($"unknown option --{name} (known: {string.Join(", ", Flags.Select(f => "--" + f))}).");
            }
        }

        var defaults = new LoadTestOptions();
        var options = new LoadTestOptions
        {
            Users = arguments.GetInt32("users", defaults.Users, 1, 100_000),
            DurationSeconds = arguments.GetInt32("duration", defaults.DurationSeconds, 1, 86_400),
            WarmupSeconds = arguments.GetInt32("warmup", defaults.WarmupSeconds, 0, 3600),
            Guilds = arguments.GetInt32("guilds", defaults.Guilds, 1, 1000),
            ChannelsPerGuild = arguments.GetInt32("channels", defaults.ChannelsPerGuild, 1, 400),
            Mix = arguments.Has("mix") ? ScenarioMix.Parse(arguments.GetString("mix")) : defaults.Mix,
            TimeToFirstTokenMs = arguments.GetInt32("ttft-ms", defaults.TimeToFirstTokenMs, 0, 600_000),
            TokensPerSecond = arguments.GetInt32("tokens-per-second", defaults.TokensPerSecond, 0, 1_000_000),
            AnswerTokens = arguments.GetInt32("answer-tokens", defaults.AnswerTokens, 1, 20_000),
            ThinkMs = arguments.GetInt32("think-ms", defaults.ThinkMs, 0, 600_000),
            AnswerTimeoutSeconds = arguments.GetInt32("answer-timeout", defaults.AnswerTimeoutSeconds, 1, 3600),
            Seed = arguments.GetInt32("seed", defaults.Seed),
            OutDirectory = PathValue(arguments, "out"),
            JsonPath = PathValue(arguments, "json"),
            HtmlPath = PathValue(arguments, "html"),
        };

        if ((long)options.Guilds * options.ChannelsPerGuild > 10_000)
        {
            throw new FormatException($"--guilds × --channels must be at most 10000, not {options.Guilds} × {options.ChannelsPerGuild}.");
        }

        return options;
    }

    /// <summary>Where the JSON report goes: --json, else DIR/loadtest.json with --out, else nowhere.</summary>
    public string? JsonReportPath => JsonPath ?? (OutDirectory is null ? null : Path.Combine(OutDirectory, "loadtest.json"));

    /// <summary>Where the HTML report goes: --html, else DIR/loadtest.html with --out, else nowhere.</summary>
    public string? HtmlReportPath => HtmlPath ?? (OutDirectory is null ? null : Path.Combine(OutDirectory, "loadtest.html"));

    /// <summary>Where the text report is written besides stdout: DIR/loadtest.txt with --out.</summary>
    public string? TextReportPath => OutDirectory is null ? null : Path.Combine(OutDirectory, "loadtest.txt");

    private static string? PathValue(CommandArguments arguments, string name)
    {
        if (!arguments.Has(name))
        {
            return null;
        }

        var value = arguments.GetString(name);
        return string.IsNullOrWhiteSpace(value) ? throw new FormatException($"--{name} needs a path.") : value;
    }
}
