using System.Net;
using System.Net.Sockets;
using Cordial.Emulator.Llm;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

/// <summary>Every emulator fault, through both real SDKs, becomes the right <see cref="LlmProviderException"/>.</summary>
public sealed class ProviderFailureTests
{
    public static TheoryData<string, bool> ModelsAndModes => new()
    {
        { "small", false }, { "small", true }, { "claude", false }, { "claude", true },
    };

    private static string EmulatorModel(string model) => model == "small" ? "sim-small" : "sim-large";

    private static string ProviderName(string model) => model == "small" ? "emu-openai" : "emu-anthropic";

    private static async Task<LlmProviderException> FailAsync(EmulatedProviders providers, string model, bool streaming)
    {
        var failure = await Assert.ThrowsAsync<LlmProviderException>(() => providers.AskAsync(model, streaming, "please answer"));
        Assert.Equal(model, failure.Model);
        Assert.Equal(ProviderName(model), failure.Provider);
        return failure;
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task Rate_limit_becomes_RateLimited_with_the_retry_after(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.RateLimited(TimeSpan.FromSeconds(20)), EmulatorModel(model));

        var failure = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.RateLimited, failure.Kind);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), failure.RetryAfter);
        Assert.True(failure.IsTransient);
        Assert.Equal("The model is rate limited; try again in 20 s.", LlmErrorMessages.Format(failure));
        Assert.Single(providers.Emulator.Requests); // SDK retries are off: the pipeline owns retries
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task Server_errors_become_ProviderUnavailable(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.ServerError(503), EmulatorModel(model));
        providers.Emulator.InjectFault(new LlmFault.ServerError(529), EmulatorModel(model));

        var first = await FailAsync(providers, model, streaming);
        var second = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.ProviderUnavailable, first.Kind);
        Assert.Equal(503, first.StatusCode);
        Assert.Equal(LlmFailureKind.ProviderUnavailable, second.Kind);
        Assert.Equal(529, second.StatusCode);
        Assert.Equal(2, providers.Emulator.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task Not_found_becomes_ModelNotFound(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.NotFound(), EmulatorModel(model));

        var failure = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.ModelNotFound, failure.Kind);
        Assert.Equal(404, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Equal($"Model '{model}' was not found at its provider.", LlmErrorMessages.Format(failure));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_model_id_the_provider_does_not_serve_becomes_ModelNotFound(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(() => providers.AskAsync("missing", streaming, "hello"));

        Assert.Equal(LlmFailureKind.ModelNotFound, failure.Kind);
        Assert.Equal("missing", failure.Model);
        Assert.Contains("no-such-model", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task Context_length_errors_become_ContextTooLong(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.ContextTooLong(), EmulatorModel(model));

        var failure = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.ContextTooLong, failure.Kind);
        Assert.Equal(400, failure.StatusCode);
        Assert.Equal("The conversation is too long for this model.", LlmErrorMessages.Format(failure));
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task A_cut_stream_becomes_ProviderUnavailable(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        // Paced tokens, so the first ones are read well before the emulator aborts the connection.
        providers.Emulator.SetBehavior(EmulatorModel(model), new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 10 });
        providers.Emulator.InjectFault(new LlmFault.CutStream(AfterTokens: 3), EmulatorModel(model));
        var received = new List<ChatResponseUpdate>();

        var failure = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            if (!streaming)
            {
                await providers.Client(model).GetResponseAsync("please answer at length", cancellationToken: TestContext.Current.CancellationToken);
                return;
            }

            await foreach (var update in providers.Client(model).GetStreamingResponseAsync("please answer at length", cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update);
            }
        });

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        Assert.Equal(model, failure.Model);
        Assert.Null(failure.StatusCode);
        if (streaming)
        {
            Assert.NotEmpty(received.SelectMany(u => u.Contents).OfType<TextContent>()); // output was visible before the cut
            Assert.DoesNotContain(received, u => u.FinishReason is not null);
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task Malformed_responses_become_ProviderUnavailable(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.MalformedSse(), EmulatorModel(model));

        var failure = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task A_hanging_provider_is_abandoned_when_the_caller_cancels(string model, bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.InjectFault(new LlmFault.Hang(), EmulatorModel(model));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var call = providers.AskUntilCancelledAsync(model, streaming, [new ChatMessage(ChatRole.User, "hello")], cancel.Token);
        await Eventually.UntilAsync(() => providers.Emulator.Requests.Count == 1, "the request to reach the emulator");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task A_refused_connection_becomes_ProviderUnavailable(string model, bool streaming)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there any more
        await using var providers = await EmulatedProviders.StartAsync(options =>
        {
            options.Providers["emu-openai"].BaseUrl = $"http://127.0.0.1:{port}/v1/";
            options.Providers["emu-anthropic"].BaseUrl = $"http://127.0.0.1:{port}/";
        });

        var failure = await FailAsync(providers, model, streaming);

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        Assert.True(failure.IsTransient);
    }

    [Theory]
    [MemberData(nameof(ModelsAndModes))]
    public async Task A_refused_key_becomes_Unauthorized(string model, bool streaming)
    {
        // The emulator accepts any key, so the provider's 401 comes from a tiny server of ours.
        await using var server = await RecordingServer.StartAsync(HttpStatusCode.Unauthorized, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}""");
        await using var direct = await EmulatedProviders.StartAsync(options =>
        {
            options.Providers["emu-openai"].BaseUrl = server.BaseAddress + "v1/";
            options.Providers["emu-anthropic"].BaseUrl = server.BaseAddress.ToString();
        });

        var failure = await FailAsync(direct, model, streaming);

        Assert.Equal(LlmFailureKind.Unauthorized, failure.Kind);
        Assert.Equal(401, failure.StatusCode);
        Assert.Contains("Incorrect API key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_parameters_reach_the_provider()
    {
        await using var server = await RecordingServer.StartAsync(HttpStatusCode.OK, """
            {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}
            """);
        await using var providers = await EmulatedProviders.StartAsync(options =>
        {
            options.Providers["emu-openai"].BaseUrl = server.BaseAddress + "openai/v1/";
            options.Providers["emu-openai"].Query["api-version"] = "2025-01-01 preview";
            options.Providers["emu-anthropic"].BaseUrl = server.BaseAddress.ToString();
            options.Providers["emu-anthropic"].Query["beta"] = "true";
        });

        var response = await providers.AskAsync("small", streaming: false, "hi");
        await Assert.ThrowsAnyAsync<LlmProviderException>(() => providers.AskAsync("claude", streaming: false, "hi"));

        Assert.Equal("ok", response.Response.Text);
        Assert.Equal("/openai/v1/chat/completions?api-version=2025-01-01%20preview", server.Requests[0]);
        Assert.Equal("/v1/messages?beta=true", server.Requests[1]);
    }
}
