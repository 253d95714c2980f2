using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cordial.Emulator.Llm;

/// <summary>Anthropic Messages: JSON responses, named SSE events, Anthropic error bodies.</summary>
internal sealed class AnthropicWire(LlmEmulator emulator) : ILlmWire
{
    private const string Garbage = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\": this is not JSON\n\n";

    public string Endpoint => "anthropic";

    public (LlmErrorKind Kind, string Message)? CheckHeaders(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.Headers["x-api-key"]) && string.IsNullOrEmpty(request.Headers.Authorization))
        {
            return (LlmErrorKind.Unauthorized, "x-api-key header is required");
        }

        if (string.IsNullOrEmpty(request.Headers["anthropic-version"]))
        {
            return (LlmErrorKind.InvalidRequest, "anthropic-version: header is required");
        }

        return null;
    }

    public ChatRequest Parse(JsonElement root) => AnthropicRequestParser.Parse(root);

    public async Task WriteErrorAsync(HttpContext context, int status, LlmErrorKind kind, string message, CancellationToken cancellationToken)
    {
        var type = kind switch
        {
            LlmErrorKind.Unauthorized => "authentication_error",
            LlmErrorKind.ModelNotFound => "not_found_error",
            LlmErrorKind.RateLimited => "rate_limit_error",
            LlmErrorKind.ServerError => status is 503 or 529 ? "overloaded_error" : "api_error",
            _ => "invalid_request_error",
        };

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        json.WriteString("type", type);
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteString("request_id", context.Response.Headers["x-request-id"].ToString());
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public async Task WriteCompletionAsync(HttpContext context, ChatRequest request, AnswerPlan plan, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("id", emulator.NextId("msg_emu"));
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", request.Model);
        json.WriteStartArray("content");
        if (plan.ReasoningPieces.Count > 0)
        {
            json.WriteStartObject();
            json.WriteString("type", "thinking");
            json.WriteString("thinking", plan.Reasoning);
            json.WriteString("signature", Signature(plan));
            json.WriteEndObject();
        }

        if (plan.ToolCall is { } call)
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_use");
            json.WriteString("id", emulator.NextId("toolu_emu"));
            json.WriteString("name", call.Name);
            json.WritePropertyName("input");
            json.WriteRawValue(call.ArgumentsJson);
            WriteDirectCaller(json);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject();
            json.WriteString("type", "text");
            json.WriteString("text", plan.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("stop_reason", StopReason(plan.Finish));
        json.WriteNull("stop_sequence");
        WriteUsage(json, plan.PromptTokens, plan.CompletionTokens);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public async Task WriteStreamAsync(HttpContext context, ChatRequest request, AnswerPlan plan, LlmFault? fault, CancellationToken cancellationToken)
    {
        using var sse = new SseWriter(context.Response);
        var pacer = new TokenPacer(emulator.TimeProvider, plan.Behavior, fault, context, sse, Garbage);

        var json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "message_start");
        json.WriteStartObject("message");
        json.WriteString("id", emulator.NextId("msg_emu"));
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", request.Model);
        json.WriteStartArray("content");
        json.WriteEndArray();
        json.WriteNull("stop_reason");
        json.WriteNull("stop_sequence");
        WriteUsage(json, plan.PromptTokens, 1);
        json.WriteEndObject();
        json.WriteEndObject();
        await sse.SendAsync("message_start", cancellationToken);

        json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "ping");
        json.WriteEndObject();
        await sse.SendAsync("ping", cancellationToken);

        await pacer.FirstTokenAsync(cancellationToken);
        var index = 0;
        if (plan.ReasoningPieces.Count > 0)
        {
            await BlockStartAsync(sse, index, "thinking", cancellationToken);
            foreach (var piece in plan.ReasoningPieces)
            {
                await pacer.BeforeUnitAsync(cancellationToken);
                await DeltaAsync(sse, index, "thinking_delta", "thinking", piece, cancellationToken);
            }

            await DeltaAsync(sse, index, "signature_delta", "signature", Signature(plan), cancellationToken);
            await BlockStopAsync(sse, index, cancellationToken);
            index++;
        }

        if (plan.ToolCall is { } call)
        {
            json = sse.Begin();
            json.WriteStartObject();
            json.WriteString("type", "content_block_start");
            json.WriteNumber("index", index);
            json.WriteStartObject("content_block");
            json.WriteString("type", "tool_use");
            json.WriteString("id", emulator.NextId("toolu_emu"));
            json.WriteString("name", call.Name);
            json.WriteStartObject("input");
            json.WriteEndObject();
            WriteDirectCaller(json);
            json.WriteEndObject();
            json.WriteEndObject();
            await sse.SendAsync("content_block_start", cancellationToken);
            foreach (var piece in call.ArgumentPieces)
            {
                await pacer.BeforeUnitAsync(cancellationToken);
                await DeltaAsync(sse, index, "input_json_delta", "partial_json", piece, cancellationToken);
            }
        }
        else
        {
            await BlockStartAsync(sse, index, "text", cancellationToken);
            foreach (var piece in plan.TextPieces)
            {
                await pacer.BeforeUnitAsync(cancellationToken);
                await DeltaAsync(sse, index, "text_delta", "text", piece, cancellationToken);
            }
        }

        await pacer.BeforeFinishAsync(cancellationToken);
        await BlockStopAsync(sse, index, cancellationToken);

        json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "message_delta");
        json.WriteStartObject("delta");
        json.WriteString("stop_reason", StopReason(plan.Finish));
        json.WriteNull("stop_sequence");
        json.WriteEndObject();
        WriteUsage(json, plan.PromptTokens, plan.CompletionTokens);
        json.WriteEndObject();
        await sse.SendAsync("message_delta", cancellationToken);

        json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "message_stop");
        json.WriteEndObject();
        await sse.SendAsync("message_stop", cancellationToken);
    }

    private static Task BlockStartAsync(SseWriter sse, int index, string type, CancellationToken cancellationToken)
    {
        var json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "content_block_start");
        json.WriteNumber("index", index);
        json.WriteStartObject("content_block");
        json.WriteString("type", type);
        if (type == "thinking")
        {
            json.WriteString("thinking", "");
            json.WriteString("signature", "");
        }
        else
        {
            json.WriteString("text", "");
        }

        json.WriteEndObject();
        json.WriteEndObject();
        return sse.SendAsync("content_block_start", cancellationToken);
    }

    private static Task DeltaAsync(SseWriter sse, int index, string deltaType, string field, string value, CancellationToken cancellationToken)
    {
        var json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "content_block_delta");
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        json.WriteString("type", deltaType);
        json.WriteString(field, value);
        json.WriteEndObject();
        json.WriteEndObject();
        return sse.SendAsync("content_block_delta", cancellationToken);
    }

    private static Task BlockStopAsync(SseWriter sse, int index, CancellationToken cancellationToken)
    {
        var json = sse.Begin();
        json.WriteStartObject();
        json.WriteString("type", "content_block_stop");
        json.WriteNumber("index", index);
        json.WriteEndObject();
        return sse.SendAsync("content_block_stop", cancellationToken);
    }

    private static void WriteUsage(Utf8JsonWriter json, int inputTokens, int outputTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", inputTokens);
        json.WriteNumber("cache_creation_input_tokens", 0);
        json.WriteNumber("cache_read_input_tokens", 0);
        json.WriteNumber("output_tokens", outputTokens);
        json.WriteEndObject();
    }

    /// <summary>Newer Anthropic SDKs require "caller" on tool_use blocks; "direct" means the model itself called the tool.</summary>
    private static void WriteDirectCaller(Utf8JsonWriter json)
    {
        json.WriteStartObject("caller");
        json.WriteString("type", "direct");
        json.WriteEndObject();
    }

    private static string StopReason(AnswerFinish finish) => finish switch
    {
        AnswerFinish.Length => "max_tokens",
        AnswerFinish.ToolCall => "tool_use",
        _ => "end_turn",
    };

    /// <summary>A stand-in for Anthropic's opaque thinking signature: deterministic base64 of the reasoning length.</summary>
    private static string Signature(AnswerPlan plan) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"cordial-emulator-signature:{plan.Reasoning.Length}"));
}
