using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cordial.Configuration;
using Cordial.Emulator.Discord;
using Cordial.Emulator.Llm;
using Cordial.Hosting;

namespace Cordial.Sandbox;

/// <summary>
/// The sandbox: ONE web application on 127.0.0.1 hosting the Discord emulator, the simulated model (unless a real LLM
/// is configured), the sandbox page, and the real bot connected to that same port over loopback sockets (REST and
/// gateway, exactly as to Discord). Seeded with the bot "Cordial", the guild "Cordial Sandbox", #general (mention
/// mode), #ask-anything (every message), #threads (a thread per conversation), the admin user "you" and a thread in
/// #general.
/// </summary>
/// <remarks>Owns the application: dispose to stop the bot gracefully and close the server.</remarks>
public sealed class SandboxHost : IAsyncDisposable
{
    /// <summary>Names of the simulated models (what /model lists), each backed by an LLM-emulator model.</summary>
    internal static readonly (string Name, string EmulatorModel, bool Vision)[] SimulatedModels =
    [
        ("simulated", "sim-small", false),
        ("simulated-large", "sim-large", false),
        ("simulated-vision", "sim-vision", true),
    ];

    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, Uri pageAddress, DiscordEmulator discord, LlmEmulator? llm, SandboxWorld world)
    {
        _app = app;
        PageAddress = pageAddress;
        Discord = discord;
        Llm = llm;
        World = world;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri PageAddress { get; }

    /// <summary>The Discord emulator (state and control).</summary>
    public DiscordEmulator Discord { get; }

    /// <summary>The simulated model; null when a real LLM is configured.</summary>
    public LlmEmulator? Llm { get; }

    /// <summary>The seeded ids.</summary>
    public SandboxWorld World { get; }

    /// <summary>The guild "Cordial Sandbox".</summary>
    public ulong GuildId => World.GuildId;

    /// <summary>The user "you".</summary>
    public ulong UserId => World.UserId;

    /// <summary>The bot's user id.</summary>
    public ulong BotUserId => World.BotUserId;

    /// <summary>Channels by name (general, ask-anything, threads, sandbox-thread).</summary>
    public IReadOnlyDictionary<string, ulong> Channels => World.Channels;

    /// <summary>The application's services (tests).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Starts the sandbox and returns once the bot is connected (READY, commands registered).</summary>
    /// <exception cref="InvalidOperationException">The configuration is invalid (the message lists every problem).</exception>
    public static async Task<SandboxHost> StartAsync(SandboxHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FreeLoopbackPort() : options.Port;
            try
            {
                return await StartOnPortAsync(options, dataDirectory, port, cancellationToken);
            }
            catch (IOException) when (options.Port == 0 && attempt < 5)
            {
                // Another process took the free port between the probe and the bind: try another.
            }
        }
    }

    private static async Task<SandboxHost> StartOnPortAsync(SandboxHostOptions options, string dataDirectory, int port, CancellationToken cancellationToken)
    {
        var emulator = new DiscordEmulator(new DiscordEmulatorOptions());
        var world = Seed(emulator, out var botToken);

        var userConfiguration = options.Configuration ?? new ConfigurationBuilder().Build();
        var simulated = !new ConfigurationBuilder().AddConfiguration(userConfiguration).Build().GetSection("Llm:Providers").GetChildren().Any();
        world = world with { SimulatedModel = simulated };
        var address = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var overrides = SandboxSettings(world, botToken, address, dataDirectory, userConfiguration, simulated);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(userConfiguration)
            .AddInMemoryCollection(overrides)
            .Build();

        var settings = CordialSettings.Load(configuration, requireToken: true);
        if (settings.Problems.Count > 0)
        {
            throw new InvalidOperationException("The sandbox configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, settings.Problems));
        }

        var builder = CordialApp.CreateBuilder(settings, configuration, dataDirectory, port);
        if (configuration.GetSection("Logging:LogLevel:Default").Value is null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.AddSingleton(emulator);
        builder.Services.AddSingleton(world);
        if (simulated)
        {
            builder.Services.AddLlmEmulator();
        }

        var app = builder.Build();
        var started = false;
        try
        {
            app.UseWebSockets();
            app.MapDiscordEmulator();
            if (simulated)
            {
                app.MapLlmEmulator();
            }

            app.MapCordialHealth();
            app.MapSandboxPage(); // the chat page (helper "sandbox-page", Sandbox/Page): "/" and its assets
            await app.StartAsync(cancellationToken);
            started = true;

            var runtime = app.Services.GetRequiredService<BotRuntime>();
            await runtime.Ready.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var llm = simulated ? app.Services.GetRequiredService<LlmEmulator>() : null;
            return new SandboxHost(app, CordialApp.ListeningAddress(app), emulator, llm, world);
        }
        catch
        {
            // Stopped (Ctrl+C) or failed before the bot was ready: a started server stops before it is disposed, so the
            // bot's own start-up requests end instead of meeting a disposed service provider.
            if (started)
            {
                await StopAndDisposeAsync(app, emulator);
            }
            else
            {
                await app.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Creates the sandbox's world in the emulator.</summary>
    private static SandboxWorld Seed(DiscordEmulator emulator, out string botToken)
    {
        var bot = emulator.RegisterBot("Cordial");
        botToken = bot.Token;
        var you = emulator.CreateUser("you");
        var guild = emulator.CreateGuild("Cordial Sandbox", you.Id);
        var general = emulator.CreateChannel(guild.Id, "general");
        var askAnything = emulator.CreateChannel(guild.Id, "ask-anything");
        var threads = emulator.CreateChannel(guild.Id, "threads");
        var thread = emulator.CreateThread(general.Id, "sandbox-thread", you.Id);
        var channels = new Dictionary<string, ulong>(StringComparer.Ordinal)
        {
            ["general"] = general.Id,
            ["ask-anything"] = askAnything.Id,
            ["threads"] = threads.Id,
            ["sandbox-thread"] = thread.Id,
        };
        return new SandboxWorld(bot.User.Id, guild.Id, you.Id, channels, SimulatedModel: true);
    }

    /// <summary>The sandbox's own settings, which win over the user's configuration.</summary>
    private static Dictionary<string, string?> SandboxSettings(
        SandboxWorld world, string botToken, string address, string dataDirectory, IConfiguration user, bool simulated)
    {
        static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Discord:Token"] = botToken,
            ["Discord:RestBaseUrl"] = address + "/api/v10/",
            ["Discord:GatewayUrl"] = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway",
            ["Discord:ShardCount"] = "1",
            ["Discord:FirstShardId"] = "0",
            ["Discord:LastShardId"] = "0",
            ["Discord:DevelopmentGuildId"] = Id(world.GuildId),
            ["Discord:MessageContent"] = "true",
            ["Http:Address"] = "127.0.0.1",
            [$"Bot:Triggers:Channels:{Id(world.Channels["ask-anything"])}:Mode"] = "Every",
            [$"Bot:Triggers:Channels:{Id(world.Channels["threads"])}:OpenThread"] = "true",
            ["Bot:Access:AdminIds:" + (user.GetSection("Bot:Access:AdminIds").GetChildren().Count() + 100).ToString(CultureInfo.InvariantCulture)] = Id(world.UserId),
        };

        if (user["Storage:Provider"] is null or "sqlite" && user["Storage:ConnectionString"] is null)
        {
            values["Storage:ConnectionString"] = Path.Combine(dataDirectory, "cordial.db");
        }

        if (simulated)
        {
            values["Llm:Providers:simulated:Kind"] = "openai";
            values["Llm:Providers:simulated:BaseUrl"] = address + "/v1";
            foreach (var (name, model, vision) in SimulatedModels)
            {
                values[$"Llm:Models:{name}:Provider"] = "simulated";
                values[$"Llm:Models:{name}:ModelId"] = model;
                values[$"Llm:Models:{name}:Vision"] = vision ? "true" : "false";
            }

            values["Llm:DefaultModel"] = SimulatedModels[0].Name;
        }

        return values;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Stops the bot gracefully (answers in progress drained), then the server.</summary>
    public ValueTask DisposeAsync() => new(StopAndDisposeAsync(_app, Discord));

    private static async Task StopAndDisposeAsync(WebApplication app, DiscordEmulator emulator)
    {
        try
        {
            // The bot stops first (gracefully); then long-lived connections (page subscriptions) must not hold the server.
            await app.Services.GetRequiredService<BotRuntime>().StopAsync(CancellationToken.None);
            emulator.Faults.DropConnections();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
