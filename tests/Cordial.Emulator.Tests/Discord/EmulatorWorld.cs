using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

/// <summary>A running emulator with one bot, one guild, one text channel and one human, plus an authenticated HttpClient.</summary>
internal sealed class EmulatorWorld : IAsyncDisposable
{
    public const int DefaultIntents = 1 | (1 << 9) | (1 << 12) | (1 << 15);

    private EmulatorWorld(DiscordEmulatorHost host, EmulatedBot bot, EmulatedGuild guild, EmulatedChannel channel, EmulatedUser human)
    {
        Host = host;
        Bot = bot;
        Guild = guild;
        Channel = channel;
        Human = human;
        Http = new HttpClient { BaseAddress = host.RestBaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", bot.Token);
    }

    public DiscordEmulatorHost Host { get; }
    public DiscordEmulator Emulator => Host.Emulator;
    public EmulatedBot Bot { get; }
    public EmulatedGuild Guild { get; }
    public EmulatedChannel Channel { get; }
    public EmulatedUser Human { get; }
    public HttpClient Http { get; }

    public static async Task<EmulatorWorld> StartAsync(Action<DiscordEmulatorOptions>? configure = null, bool messageContentAllowed = true)
    {
        var options = new DiscordEmulatorOptions();
        configure?.Invoke(options);
        var host = await DiscordEmulatorHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var bot = host.Emulator.RegisterBot("Cordial", "test-bot-token.abc.def", messageContentAllowed);
        var human = host.Emulator.CreateUser("alice");
        var guild = host.Emulator.CreateGuild("Test Guild", human.Id);
        var channel = host.Emulator.CreateChannel(guild.Id, "general");
        return new EmulatorWorld(host, bot, guild, channel, human);
    }

    public Task<GatewayTestClient> ConnectAsync(bool compress = false, string? query = null) =>
        GatewayTestClient.ConnectAsync(Host.GatewayAddress, compress, query);

    public Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body) =>
        Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PatchJsonAsync(string path, JsonNode body) =>
        Http.PatchAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> SendMessageAsync(string content, ulong? channelId = null) =>
        PostJsonAsync($"channels/{channelId ?? Channel.Id}/messages", new JsonObject { ["content"] = content });

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
