using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

/// <summary>Raw HTTP access to an emulator host, with a small SSE reader: no SDK involved.</summary>
internal sealed class LlmTestClient : IAsyncDisposable
{
    private LlmTestClient(LlmEmulatorHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public LlmEmulatorHost Host { get; }
    public LlmEmulator Emulator => Host.Emulator;
    public HttpClient Http { get; }

    /// <summary>Starts a host whose default behavior answers at once (no latency), unless configured otherwise.</summary>
    public static async Task<LlmTestClient> StartAsync(Action<LlmEmulatorOptions>? configure = null)
    {
        var options = new LlmEmulatorOptions
        {
            DefaultBehavior = new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 },
        };
        configure?.Invoke(options);
        return new LlmTestClient(await LlmEmulatorHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken));
    }

    public static string OpenAiBody(string model, string userText, bool stream, string extra = "") =>
        $$"""{"model":{{JsonSerializer.Serialize(model)}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":{{JsonSerializer.Serialize(userText)}}}]{{extra}}}""";

    public static string AnthropicBody(string model, string userText, bool stream, string extra = "") =>
        $$"""{"model":{{JsonSerializer.Serialize(model)}},"max_tokens":1024,"stream":{{(stream ? "true" : "false")}},"system":"Be brief.","messages":[{"role":"user","content":{{JsonSerializer.Serialize(userText)}}}]{{extra}}}""";

    public Task<HttpResponseMessage> PostOpenAiAsync(string body) =>
        SendAsync("v1/chat/completions", body, anthropicHeaders: false, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PostAnthropicAsync(string body) =>
        SendAsync("v1/messages", body, anthropicHeaders: true, TestContext.Current.CancellationToken);

    public async Task<HttpResponseMessage> SendAsync(string path, string body, bool anthropicHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (anthropicHeaders)
        {
            request.Headers.Add("x-api-key", "test-key");
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "test-key");
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads every event of a stream until the server ends it (or breaks it: the exception propagates).</summary>
    public static async Task<List<SseEvent>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        await foreach (var e in EnumerateEventsAsync(response, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    public static async IAsyncEnumerable<SseEvent> EnumerateEventsAsync(
        HttpResponseMessage response,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = cancellationToken;
        await using var stream = await response.Content.ReadAsStreamAsync(token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new SseEvent(name, data.ToString());
                }

                name = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line["data:".Length..].TrimStart());
            }
        }

        if (data.Length > 0)
        {
            yield return new SseEvent(name, data.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
