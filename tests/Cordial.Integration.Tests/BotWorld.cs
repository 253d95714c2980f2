using System.Globalization;
using Cordial.Bot.Delivery;
using Cordial.Emulator.Discord;
using Cordial.Emulator.Llm;

namespace Cordial.Integration.Tests;

/// <summary>
/// A Discord emulator and an LLM emulator (each its own server on 127.0.0.1), a seeded guild, and the real bot
/// connected to them over sockets, with its SQLite file in a temporary directory. The bot can be stopped and a new one
/// started on the same data (a restart).
/// </summary>
internal sealed class BotWorld : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;

    private BotWorld(DiscordEmulatorHost discord, LlmEmulatorHost llm, string dataDirectory, Dictionary<string, string?> settings)
    {
        DiscordHost = discord;
        LlmHost = llm;
        DataDirectory = dataDirectory;
        _settings = settings;
        Bot = Discord.RegisterBot("Cordial");
        Alice = Discord.CreateUser("alice");
        Bob = Discord.CreateUser("bob");
        Guild = Discord.CreateGuild("Test Guild", Alice.Id);
        Discord.AddMember(Guild.Id, Bob.Id);
        General = Discord.CreateChannel(Guild.Id, "general");
    }

    public DiscordEmulatorHost DiscordHost { get; }

    public LlmEmulatorHost LlmHost { get; }

    public DiscordEmulator Discord => DiscordHost.Emulator;

    public LlmEmulator Llm => LlmHost.Emulator;

    public string DataDirectory { get; }

    public EmulatedBot Bot { get; }

    public EmulatedUser Alice { get; }

    public EmulatedUser Bob { get; }

    public EmulatedGuild Guild { get; }

    public EmulatedChannel General { get; }

    public RunningBot? Current { get; private set; }

    public RunningBot Running => Current ?? throw new InvalidOperationException("The bot is not running.");

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts the emulators and seeds the guild; add settings with <see cref="Set"/> before <see cref="StartBotAsync"/>.</summary>
    /// <param name="discordOptions">The Discord emulator's options (default: its defaults).</param>
    /// <param name="behavior">How the simulated models answer (default: 20 ms to the first token, then at once).</param>
    /// <param name="llmClock">The LLM emulator's clock, which paces its answers (default: the system clock).</param>
    public static async Task<BotWorld> CreateAsync(DiscordEmulatorOptions? discordOptions = null, LlmBehavior? behavior = null, TimeProvider? llmClock = null)
    {
        var discord = await DiscordEmulatorHost.StartAsync(discordOptions, 0, Token);
        var llmOptions = new LlmEmulatorOptions();
        llmOptions.DefaultBehavior = behavior ?? new LlmBehavior { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 0 };
        if (llmClock is not null)
        {
            llmOptions.TimeProvider = llmClock;
        }

        var llm = await LlmEmulatorHost.StartAsync(llmOptions, 0, Token);
        var data = Path.Combine(Path.GetTempPath(), "cordial-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        return new BotWorld(discord, llm, data, settings);
    }

    /// <summary>Sets a configuration value for the next start.</summary>
    public BotWorld Set(string key, object value)
    {
        _settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
        return this;
    }

    public static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The configuration a start uses: the emulators, two simulated models, SQLite in the data directory.</summary>
    public IConfigurationRoot BuildConfiguration()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Discord:Token"] = Bot.Token,
            ["Discord:RestBaseUrl"] = DiscordHost.RestBaseAddress.ToString(),
            ["Discord:GatewayUrl"] = DiscordHost.GatewayAddress.ToString(),
            ["Discord:ShardCount"] = "1",
            ["Http:Address"] = "127.0.0.1",
            ["Storage:ConnectionString"] = Path.Combine(DataDirectory, "cordial.db"),
            ["Llm:Providers:emulator:Kind"] = "openai",
            ["Llm:Providers:emulator:BaseUrl"] = LlmHost.OpenAIBaseAddress.ToString().TrimEnd('/'),
            ["Llm:Models:small:Provider"] = "emulator",
            ["Llm:Models:small:ModelId"] = "sim-small",
            ["Llm:Models:large:Provider"] = "emulator",
            ["Llm:Models:large:ModelId"] = "sim-large",
            ["Llm:DefaultModel"] = "small",
            ["Llm:Resilience:MaxRetries"] = "0",
        };
        foreach (var (key, value) in _settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public async Task<RunningBot> StartBotAsync(ILoggerProvider? logs = null)
    {
        Assert.Null(Current);
        Current = await RunningBot.StartAsync(BuildConfiguration(), DataDirectory, Token, logs);
        return Current;
    }

    public async Task StopBotAsync()
    {
        if (Current is { } bot)
        {
            Current = null;
            await bot.DisposeAsync();
        }
    }

    public Task<EmulatedMessage> SayAsync(EmulatedChannel channel, EmulatedUser author, string content, ulong? replyTo = null) =>
        SayAsync(channel.Id, author, content, replyTo);

    public Task<EmulatedMessage> SayAsync(ulong channelId, EmulatedUser author, string content, ulong? replyTo = null) =>
        Discord.PostMessageAsync(channelId, author.Id, content, new PostMessageOptions { ReplyToMessageId = replyTo }, Token);

    public string Mention => $"<@{Id(Bot.User.Id)}>";

    /// <summary>The bot's messages in a channel, oldest first.</summary>
    public IReadOnlyList<EmulatedMessage> BotMessages(ulong channelId) =>
        [.. Discord.GetMessages(channelId).Where(m => m.AuthorId == Bot.User.Id && !m.Deleted)];

    /// <summary>Waits for the bot's message whose content is exactly <paramref name="text"/> (its final edit).</summary>
    public async Task<EmulatedMessage> WaitForAnswerAsync(ulong channelId, string text, TimeSpan? timeout = null) =>
        (await Eventually.UntilAsync(
            () => BotMessages(channelId).FirstOrDefault(m => m.Content == text),
            m => m is not null,
            $"the bot to answer '{text}' in channel {channelId}",
            timeout ?? TimeSpan.FromSeconds(30)))!;

    /// <summary>Waits until the bot's messages in the channel put together (un-split) equal <paramref name="text"/>.</summary>
    public Task WaitForJoinedAnswerAsync(ulong channelId, string text, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            () => MessageSplitter.Unsplit(BotMessages(channelId).Select(m => m.Content)),
            joined => joined == text,
            $"the bot's messages in channel {channelId} to spell the model's answer",
            timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>The last LLM request containing <paramref name="marker"/> (in its raw body).</summary>
    public RecordedLlmRequest? RequestContaining(string marker) =>
        Llm.Requests.LastOrDefault(r => r.RawBody.Contains(marker, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await StopBotAsync();
        await LlmHost.DisposeAsync();
        await DiscordHost.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
