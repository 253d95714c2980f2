using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cordial.Emulator.Discord;
using Cordial.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cordial.Integration.Tests.Browser;

/// <summary>
/// The Discord emulator and the sandbox page in one loopback web application, without a bot: the test plays the bot
/// with raw REST calls. Seeded with a bot "Cordial", the user "you", the guild "Page Test" and #general.
/// </summary>
internal sealed class EmulatorPageApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorPageApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Emulator = app.Services.GetRequiredService<DiscordEmulator>();
        Bot = Emulator.RegisterBot("Cordial");
        You = Emulator.CreateUser("you");
        var guild = Emulator.CreateGuild("Page Test", You.Id);
        GuildId = guild.Id;
        General = Emulator.CreateChannel(guild.Id, "general").Id;
        BotHttp = new HttpClient { BaseAddress = new Uri(address, "api/v10/") };
        BotHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", Bot.Token);
    }

    public Uri Address { get; }

    public DiscordEmulator Emulator { get; }

    public EmulatedBot Bot { get; }

    public EmulatedUser You { get; }

    public ulong GuildId { get; }

    public ulong General { get; }

    /// <summary>REST as the bot (Authorization: Bot token).</summary>
    public HttpClient BotHttp { get; }

    public static async Task<EmulatorPageApp> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddDiscordEmulator();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapDiscordEmulator();
        app.MapSandboxPage();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorPageApp(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Sends a JSON body as the bot and returns the answer's JSON text (fails the test on an error status).</summary>
    public async Task<string> BotSendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await BotHttp.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        BotHttp.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
