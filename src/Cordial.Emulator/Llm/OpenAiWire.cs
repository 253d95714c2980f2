using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cordial.Emulator.Llm;

/// <summary>OpenAI chat completions: JSON responses, SSE chunks ending with "data: [DONE]", OpenAI error bodies.</summary>
internal sealed class OpenAiWire(LlmEmulator emulator) : ILlmWire
{
    private const string Garbage = "data: {\"id\":\"chatcmpl-broken\",\"choices\":[{\"delta\": this is not JSON\n\n";

    public string Endpoint => "openai";

    public (LlmErrorKind Kind, string Message)? CheckHeaders(HttpRequest request) => null;

    public ChatRequest Parse(JsonElement root) => OpenAiRequestParser.Parse(root);

    public async Task WriteErrorAsync(HttpContext context, int status, LlmErrorKind kind, string message, CancellationToken cancellationToken)
    {
        var (type, code, param) = kind switch
        {
            LlmErrorKind.Unauthorized => ("invalid_request_error", "invalid_api_key", null),
            LlmErrorKind.ModelNotFound => ("invalid_request_error", "model_not_found", null),
            LlmErrorKind.RateLimited => ("requests", "rate_limit_exceeded", null),
            LlmErrorKind.ServerError => ("server_error", null, null),
            LlmErrorKind.ContextTooLong => ("invalid_request_error", "context_length_exceeded", "messages"),
            _ => ("invalid_request_error", (string?)null, (string?)null),
        };

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", type);
        WriteNullableString(json, "param", param);
        WriteNullableString(json, "code", code);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public async Task WriteCompletionAsync(HttpContext context, ChatRequest request, AnswerPlan plan, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        WriteHeader(json, emulator.NextId("chatcmpl-emu"), "chat.completion", request.Model);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        if (plan.ToolCall is null)
        {
            json.WriteString("content", plan.Text);
        }
        else
        {
            json.WriteNull("content");
        }

        json.WriteNull("refusal");
        if (plan.ReasoningPieces.Count > 0)
        {
            json.WriteString("reasoning_content", plan.Reasoning);
        }

        if (plan.ToolCall is { } call)
        {
            json.WriteStartArray("tool_calls");
            json.WriteStartObject();
            json.WriteString("id", emulator.NextId("call_emu"));
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", call.Name);
            json.WriteString("arguments", call.ArgumentsJson);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", FinishReason(plan.Finish));
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, plan);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public async Task WriteStreamAsync(HttpContext context, ChatRequest request, AnswerPlan plan, LlmFault? fault, CancellationToken cancellationToken)
    {
        var id = emulator.NextId("chatcmpl-emu");
        using var sse = new SseWriter(context.Response);
        var pacer = new TokenPacer(emulator.TimeProvider, plan.Behavior, fault, context, sse, Garbage);
        await pacer.FirstTokenAsync(cancellationToken);

        // Role chunk, sent with the first token as OpenAI does.
        var json = BeginChunk(sse, id, request);
        json.WriteString("role", "assistant");
        json.WriteString("content", "");
        json.WriteNull("refusal");
        await EndChunkAsync(sse, request, null, cancellationToken);

        foreach (var piece in plan.ReasoningPieces)
        {
            await pacer.BeforeUnitAsync(cancellationToken);
            json = BeginChunk(sse, id, request);
            json.WriteString("reasoning_content", piece);
            await EndChunkAsync(sse, request, null, cancellationToken);
        }

        foreach (var piece in plan.TextPieces)
        {
            await pacer.BeforeUnitAsync(cancellationToken);
            json = BeginChunk(sse, id, request);
            json.WriteString("content", piece);
            await EndChunkAsync(sse, request, null, cancellationToken);
        }

        if (plan.ToolCall is { } call)
        {
            var callId = emulator.NextId("call_emu");
            for (var i = 0; i < call.ArgumentPieces.Count; i++)
            {
                await pacer.BeforeUnitAsync(cancellationToken);
                json = BeginChunk(sse, id, request);
                json.WriteStartArray("tool_calls");
                json.WriteStartObject();
                json.WriteNumber("index", 0);
                if (i == 0)
                {
                    json.WriteString("id", callId);
                    json.WriteString("type", "function");
                }

                json.WriteStartObject("function");
                if (i == 0)
                {
                    json.WriteString("name", call.Name);
                }

                json.WriteString("arguments", call.ArgumentPieces[i]);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                await EndChunkAsync(sse, request, null, cancellationToken);
            }
        }

        await pacer.BeforeFinishAsync(cancellationToken);
        BeginChunk(sse, id, request);
        await EndChunkAsync(sse, request, FinishReason(plan.Finish), cancellationToken);

        if (request.IncludeUsage)
        {
            json = sse.Begin();
            json.WriteStartObject();
            WriteHeader(json, id, "chat.completion.chunk", request.Model);
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, plan);
            json.WriteEndObject();
            await sse.SendAsync(null, cancellationToken);
        }

        await sse.SendRawAsync("data: [DONE]\n\n", cancellationToken);
    }

    private Utf8JsonWriter BeginChunk(SseWriter sse, string id, ChatRequest request)
    {
        var json = sse.Begin();
        json.WriteStartObject();
        WriteHeader(json, id, "chat.completion.chunk", request.Model);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        return json;
    }

    private static Task EndChunkAsync(SseWriter sse, ChatRequest request, string? finishReason, CancellationToken cancellationToken)
    {
        var json = sse.Current;
        json.WriteEndObject(); // delta
        json.WriteNull("logprobs");
        WriteNullableString(json, "finish_reason", finishReason);
        json.WriteEndObject(); // choice
        json.WriteEndArray();
        if (request.IncludeUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
        return sse.SendAsync(null, cancellationToken);
    }

    private void WriteHeader(Utf8JsonWriter json, string id, string objectType, string model)
    {
        json.WriteString("id", id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", emulator.TimeProvider.GetUtcNow().ToUnixTimeSeconds());
        json.WriteString("model", model);
        json.WriteString("system_fingerprint", "fp_cordial_emulator");
    }

    private static void WriteUsage(Utf8JsonWriter json, AnswerPlan plan)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", plan.PromptTokens);
        json.WriteNumber("completion_tokens", plan.CompletionTokens);
        json.WriteNumber("total_tokens", plan.PromptTokens + plan.CompletionTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", 0);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details");
        json.WriteNumber("reasoning_tokens", plan.ReasoningTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string FinishReason(AnswerFinish finish) => finish switch
    {
        AnswerFinish.Length => "length",
        AnswerFinish.ToolCall => "tool_calls",
        _ => "stop",
    };

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
