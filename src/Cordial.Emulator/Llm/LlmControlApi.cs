using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cordial.Emulator.Llm;

/// <summary>
/// HTTP control of the emulator for other processes (load test, sandbox): behavior, scripts, faults, recorded
/// requests, reset. JSON in, JSON out; a bad body gets 400 {"error": "..."}. Documented in docs/emulator/llm.md.
/// </summary>
internal static class LlmControlApi
{
    private const string Prefix = "/_emulator/llm";
    private const int MaxControlBody = 1_000_000;
    private static readonly string[] RedactedHeaders = ["authorization", "x-api-key", "api-key"];

    public static void Map(IEndpointRouteBuilder endpoints, LlmEmulator emulator)
    {
        endpoints.MapGet(Prefix, context => WriteStateAsync(context, emulator));
        endpoints.MapGet(Prefix + "/requests", context => WriteRequestsAsync(context, emulator));
        endpoints.MapPost(Prefix + "/behavior", context => RunAsync(context, body => SetBehavior(emulator, body)));
        endpoints.MapPost(Prefix + "/scripts", context => RunAsync(context, body => emulator.Script(
            RequireString(body, "contains"), RequireString(body, "answer"))));
        endpoints.MapPost(Prefix + "/tool-scripts", context => RunAsync(context, body => emulator.ScriptToolCall(
            RequireString(body, "contains"),
            RequireString(body, "tool"),
            body.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Object
                ? arguments.GetRawText()
                : OptionalString(body, "arguments") ?? "{}",
            RequireString(body, "answerAfterToolResult"))));
        endpoints.MapPost(Prefix + "/faults", context => RunAsync(context, body => InjectFault(emulator, body)));
        endpoints.MapPost(Prefix + "/reset", context =>
        {
            emulator.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    private static async Task RunAsync(HttpContext context, Action<JsonElement> action)
    {
        var cancellationToken = context.RequestAborted;
        string text;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxControlBody + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (read > MaxControlBody)
            {
                await WriteErrorAsync(context, $"The control request body is larger than {MaxControlBody} characters.");
                return;
            }

            text = new string(buffer, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ChatRequestException("The control request body must be a JSON object.");
            }

            action(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or ChatRequestException or ArgumentException or InvalidOperationException)
        {
            await WriteErrorAsync(context, e.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static void SetBehavior(LlmEmulator emulator, JsonElement body)
    {
        var behavior = new LlmBehavior();
        if (OptionalNumber(body, "timeToFirstTokenMs") is { } ttft)
        {
            behavior.TimeToFirstToken = TimeSpan.FromMilliseconds(ttft);
        }

        if (OptionalNumber(body, "tokensPerSecond") is { } tps)
        {
            behavior.TokensPerSecond = tps;
        }

        if (OptionalString(body, "answer") is { } answer)
        {
            behavior.Answer = Enum.TryParse<LlmAnswerMode>(answer, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new ChatRequestException($"answer: expected echo, filler or scripted, got '{answer}'.");
        }

        if (OptionalNumber(body, "fillerTokens") is { } filler)
        {
            behavior.FillerTokens = (int)Math.Clamp(filler, -1, int.MaxValue);
        }

        behavior.Reasoning = OptionalString(body, "reasoning");
        if (OptionalString(body, "model") is { } model)
        {
            emulator.SetBehavior(model, behavior);
        }
        else
        {
            emulator.SetDefaultBehavior(behavior);
        }
    }

    private static void InjectFault(LlmEmulator emulator, JsonElement body)
    {
        var kind = RequireString(body, "kind");
        LlmFault fault = kind.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
        {
            "RATELIMITED" => new LlmFault.RateLimited(TimeSpan.FromMilliseconds(OptionalNumber(body, "retryAfterMs") ?? 1000)),
            "SERVERERROR" => new LlmFault.ServerError((int)(OptionalNumber(body, "status") ?? 500)),
            "CUTSTREAM" => new LlmFault.CutStream((int)(OptionalNumber(body, "afterTokens") ?? 0)),
            "HANG" => new LlmFault.Hang(),
            "MALFORMEDSSE" => new LlmFault.MalformedSse(),
            "NOTFOUND" => new LlmFault.NotFound(),
            "CONTEXTTOOLONG" => new LlmFault.ContextTooLong(),
            _ => throw new ChatRequestException(
                $"kind: unknown fault '{kind}' (expected rate-limited, server-error, cut-stream, hang, malformed-sse, not-found, context-too-long)."),
        };
        emulator.InjectFault(fault, OptionalString(body, "model"), (int)(OptionalNumber(body, "count") ?? 1));
    }

    private static async Task WriteStateAsync(HttpContext context, LlmEmulator emulator)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("models");
        foreach (var model in emulator.Models)
        {
            var behavior = emulator.GetBehavior(model);
            json.WriteStartObject();
            json.WriteString("id", model);
            json.WriteNumber("timeToFirstTokenMs", behavior.TimeToFirstToken.TotalMilliseconds);
            json.WriteNumber("tokensPerSecond", behavior.TokensPerSecond);
            json.WriteString("answer", behavior.Answer.ToString().ToLowerInvariant());
            json.WriteNumber("fillerTokens", behavior.FillerTokens);
            json.WriteString("reasoning", behavior.Reasoning);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("pendingFaults", emulator.PendingFaults);
        json.WriteNumber("recordedRequests", emulator.Requests.Count);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteRequestsAsync(HttpContext context, LlmEmulator emulator)
    {
        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0
            ? l
            : LlmEmulator.MaxRecordedRequests;
        var includeBody = string.Equals(context.Request.Query["body"], "true", StringComparison.OrdinalIgnoreCase);
        var requests = emulator.Requests;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartArray();
        foreach (var request in requests.Skip(Math.Max(0, requests.Count - limit)))
        {
            json.WriteStartObject();
            json.WriteString("endpoint", request.Endpoint);
            json.WriteString("model", request.Model);
            json.WriteBoolean("stream", request.Stream);
            json.WriteString("lastUserText", request.LastUserText);
            json.WriteNumber("imageCount", request.ImageCount);
            json.WriteString("at", request.At);
            json.WriteStartObject("headers");
            foreach (var (name, value) in request.Headers)
            {
                json.WriteString(name, RedactedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase) ? "(redacted)" : value);
            }

            json.WriteEndObject();
            if (includeBody)
            {
                json.WriteString("rawBody", request.RawBody);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static string RequireString(JsonElement body, string name) =>
        OptionalString(body, name) ?? throw new ChatRequestException($"{name}: field required.");

    private static string? OptionalString(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new ChatRequestException($"{name}: expected a string, got {WireJson.Describe(value)}.");

    private static double? OptionalNumber(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                ? number
                : throw new ChatRequestException($"{name}: expected a number, got {WireJson.Describe(value)}.");
}
