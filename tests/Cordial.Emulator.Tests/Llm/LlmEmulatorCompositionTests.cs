using System.Net;
using Cordial.Emulator.Llm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Tests.Llm;

public sealed class LlmEmulatorCompositionTests
{
    [Fact]
    public async Task MapsIntoAnotherApplicationNextToItsOwnRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddLlmEmulator(o =>
        {
            o.Models.Add("composed-model");
            o.DefaultBehavior = new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        });
        await using var app = builder.Build();
        app.MapGet("/other", () => "mine");
        app.MapLlmEmulator();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        Assert.Equal("mine", await http.GetStringAsync("other", TestContext.Current.CancellationToken));
        using var content = new StringContent(LlmTestClient.OpenAiBody("composed-model", "hi", stream: false), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("v1/chat/completions", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("composed-model", Assert.Single(app.Services.GetRequiredService<LlmEmulator>().Requests).Model);

        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ABodyOverTheServerLimitGetsAClearError()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 2_000;
        });
        builder.Services.AddLlmEmulator();
        await using var app = builder.Build();
        app.MapLlmEmulator();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var content = new StringContent(LlmTestClient.OpenAiBody("sim-small", new string('x', 10_000), stream: false), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("v1/chat/completions", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error");
        Assert.Contains("could not be read", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(app.Services.GetRequiredService<LlmEmulator>().Requests);

        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AClientThatLeavesMidStreamEndsTheServerWork()
    {
        await using var client = await LlmTestClient.StartAsync(o => o.DefaultBehavior = new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.Zero,
            Answer = LlmAnswerMode.Filler,
            FillerTokens = 100_000,
            TokensPerSecond = 50,
        });

        var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "talk forever", stream: true));
        await using (var events = LlmTestClient.EnumerateEventsAsync(response, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken))
        {
            Assert.True(await events.MoveNextAsync());
            Assert.True(await events.MoveNextAsync());
            Assert.Equal(1, client.Emulator.ActiveRequests);
        }

        response.Dispose();
        await Eventually.UntilAsync(() => client.Emulator.ActiveRequests == 0, "the abandoned stream to end on the server");
    }

    [Fact]
    public void OptionsAreCopiedWhenTheEmulatorIsCreated()
    {
        var options = new LlmEmulatorOptions();
        var emulator = new LlmEmulator(options);
        options.Models.Add("added-later");
        options.DefaultBehavior.FillerTokens = 7;

        Assert.DoesNotContain("added-later", emulator.Models);
        Assert.Equal(50, emulator.GetBehavior("sim-small").FillerTokens);
    }

    [Fact]
    public void BehaviorRejectsNonsense()
    {
        var behavior = new LlmBehavior();
        Assert.Throws<ArgumentOutOfRangeException>(() => behavior.TimeToFirstToken = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => behavior.TokensPerSecond = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => behavior.FillerTokens = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => behavior.Answer = (LlmAnswerMode)42);
        Assert.Throws<ArgumentException>(() => new LlmEmulator().ScriptToolCall("x", "tool", "not json", "y"));
        Assert.Throws<ArgumentException>(() => new LlmEmulator().ScriptToolCall("x", "tool", "[1]", "y"));
    }
}
