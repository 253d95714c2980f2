using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Providers;

/// <summary>
/// Writes the body of an OpenAI-compatible <c>chat/completions</c> request straight from Microsoft.Extensions.AI
/// messages and options, in one <see cref="Utf8JsonWriter"/> pass. The provider's <c>Body</c> and the model's
/// <c>Parameters</c> (<see cref="RequestCustomization"/>) are written in the same pass: such a field replaces the one of
/// the same name, and a JSON <c>null</c> leaves it out.
/// </summary>
/// <remarks>
/// The OpenAI SDK built the same body through its own message and option objects, serialized them, and the body
/// customization then parsed and rewrote the JSON; this writes what goes on the wire and nothing else
/// (docs/PERFORMANCE.md, seventh session).
/// </remarks>
internal static partial class OpenAIRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body goes to an HTTP API, not into a web page: '+' in base64 and the HTML characters need no escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText ContentField = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText RoleField = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText TypeField = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText TextField = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText NameField = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText FunctionField = JsonEncodedText.Encode("function");

    /// <summary>The request body for <paramref name="messages"/>, as UTF-8 JSON.</summary>
    public static ReadOnlyMemory<byte> Write(
        string providerModelId, IReadOnlyList<ChatMessage> messages, ChatOptions? options, ModelOptions model,
        RequestCustomization customization, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            var fields = new Fields(writer, customization);
            if (fields.Own("model"))
            {
                writer.WriteString("model", providerModelId);
            }

            if (fields.Own("messages"))
            {
                WriteMessages(writer, messages, options?.Instructions);
            }

            if (stream)
            {
                fields.Write("stream", true);
                if (fields.Own("stream_options"))
                {
                    // Usage comes in a last chunk only when asked for; quotas count the tokens.
                    writer.WriteStartObject("stream_options");
                    writer.WriteBoolean("include_usage", true);
                    writer.WriteEndObject();
                }
            }

            fields.Write("temperature", options?.Temperature ?? (float?)model.Temperature);
            fields.Write(customization.RenameMaxTokens ? "max_tokens" : "max_completion_tokens", options?.MaxOutputTokens ?? model.MaxOutputTokens);
            fields.Write("top_p", options?.TopP);
            fields.Write("frequency_penalty", options?.FrequencyPenalty);
            fields.Write("presence_penalty", options?.PresencePenalty);
            fields.Write("seed", options?.Seed);
            if (options?.StopSequences is { Count: > 0 } stops && fields.Own("stop"))
            {
                writer.WriteStartArray("stop");
                foreach (var stop in stops)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            fields.Write("reasoning_effort", ReasoningEffortOf(options, model));
            WriteTools(writer, options, fields);
            WriteResponseFormat(writer, options?.ResponseFormat, fields);
            foreach (var (name, json) in customization.Body)
            {
                if (!RequestCustomization.Removes(json))
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(json, skipInputValidation: true); // JSON text RequestCustomization wrote itself
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static string? ReasoningEffortOf(ChatOptions? options, ModelOptions model) => options?.Reasoning?.Effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High or ReasoningEffort.ExtraHigh => "high",
        _ => model.ReasoningEffort?.ToLowerInvariant(),
    };

    private static void WriteMessages(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, string? instructions)
    {
        writer.WriteStartArray("messages");
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            WriteTextMessage(writer, "system", instructions);
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == ChatRole.System)
            {
                WriteTextMessage(writer, "system", message.Text);
            }
            else if (message.Role == ChatRole.Assistant)
            {
                WriteAssistantMessage(writer, message);
            }
            else if (message.Role == ChatRole.Tool)
            {
                WriteToolResults(writer, message);
            }
            else
            {
                WriteUserMessage(writer, message);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteTextMessage(Utf8JsonWriter writer, string role, string text)
    {
        writer.WriteStartObject();
        writer.WriteString(RoleField, role);
        writer.WriteString(ContentField, text);
        writer.WriteEndObject();
    }

    /// <summary>Text only: <c>content</c> is a string (what every compatible server reads); with images, an array of parts.</summary>
    private static void WriteUserMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString(RoleField, "user");
        var contents = message.Contents;
        var texts = 0;
        var images = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent { Text.Length: > 0 }:
                    texts++;
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    images++;
                    break;
            }
        }

        if (images == 0 && texts <= 1)
        {
            writer.WriteString(ContentField, texts == 0 ? "" : FirstText(contents));
        }
        else
        {
            writer.WriteStartArray(ContentField);
            for (var i = 0; i < contents.Count; i++)
            {
                switch (contents[i])
                {
                    case TextContent { Text: { Length: > 0 } text }:
                        writer.WriteStartObject();
                        writer.WriteString(TypeField, "text");
                        writer.WriteString(TextField, text);
                        writer.WriteEndObject();
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        WriteImagePart(writer, data);
                        break;
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        WriteImagePart(writer, Encoding.UTF8.GetBytes(uri.Uri.AbsoluteUri));
                        break;
                }
            }

            writer.WriteEndArray();
        }

        WriteParticipantName(writer, message.AuthorName);
        writer.WriteEndObject();
    }

    private static string FirstText(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent { Text: { Length: > 0 } text })
            {
                return text;
            }
        }

        return "";
    }

    /// <summary>An inline image as a <c>data:</c> URL, base64-encoded straight into a pooled buffer (no string of the image).</summary>
    private static void WriteImagePart(Utf8JsonWriter writer, DataContent data)
    {
        var image = data.Data.Span;
        var prefix = "data:" + data.MediaType + ";base64,";
        var length = Encoding.UTF8.GetByteCount(prefix) + Base64.GetMaxEncodedToUtf8Length(image.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(prefix, rented);
            Base64.EncodeToUtf8(image, rented.AsSpan(written), out _, out var encoded);
            WriteImagePart(writer, rented.AsSpan(0, written + encoded));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteImagePart(Utf8JsonWriter writer, ReadOnlySpan<byte> url)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeField, "image_url");
        writer.WriteStartObject("image_url");
        writer.WriteString("url", url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The text, then the tool calls it made; <c>content</c> is left out when there are calls and no text.</summary>
    private static void WriteAssistantMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString(RoleField, "assistant");
        var text = message.Text;
        var contents = message.Contents;
        var calls = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            calls += contents[i] is FunctionCallContent ? 1 : 0;
        }

        if (text.Length > 0 || calls == 0)
        {
            writer.WriteString(ContentField, text);
        }

        WriteParticipantName(writer, message.AuthorName);
        if (calls > 0)
        {
            writer.WriteStartArray("tool_calls");
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is not FunctionCallContent call)
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("id", call.CallId);
                writer.WriteString(TypeField, "function");
                writer.WriteStartObject(FunctionField);
                writer.WriteString(NameField, call.Name);
                writer.WriteString("arguments", JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolResults(Utf8JsonWriter writer, ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is FunctionResultContent result)
            {
                writer.WriteStartObject();
                writer.WriteString(RoleField, "tool");
                writer.WriteString("tool_call_id", result.CallId);
                writer.WriteString(ContentField, SerializeResult(result));
                writer.WriteEndObject();
            }
        }
    }

    private static void WriteParticipantName(Utf8JsonWriter writer, string? name)
    {
        if (name is not null && ParticipantName().IsMatch(name))
        {
            writer.WriteString(NameField, name);
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatOptions? options, Fields fields)
    {
        var tools = options?.Tools;
        var offered = 0;
        if (tools is not null && fields.Own("tools"))
        {
            foreach (var tool in tools)
            {
                if (tool is not AIFunctionDeclaration function)
                {
                    continue;
                }

                if (offered++ == 0)
                {
                    writer.WriteStartArray("tools");
                }

                writer.WriteStartObject();
                writer.WriteString(TypeField, "function");
                writer.WriteStartObject(FunctionField);
                writer.WriteString(NameField, function.Name);
                if (!string.IsNullOrEmpty(function.Description))
                {
                    writer.WriteString("description", function.Description);
                }

                writer.WritePropertyName("parameters");
                function.JsonSchema.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (offered > 0)
            {
                writer.WriteEndArray();
            }
        }

        if (offered == 0)
        {
            return;
        }

        if (fields.Own("tool_choice"))
        {
            switch (options!.ToolMode)
            {
                case NoneChatToolMode:
                    writer.WriteString("tool_choice", "none");
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    writer.WriteStartObject("tool_choice");
                    writer.WriteString(TypeField, "function");
                    writer.WriteStartObject(FunctionField);
                    writer.WriteString(NameField, name);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case RequiredChatToolMode:
                    writer.WriteString("tool_choice", "required");
                    break;
            }
        }

        fields.Write("parallel_tool_calls", options!.AllowMultipleToolCalls);
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format, Fields fields)
    {
        if (format is not ChatResponseFormatJson json || !fields.Own("response_format"))
        {
            return;
        }

        writer.WriteStartObject("response_format");
        if (json.Schema is not { } schema)
        {
            writer.WriteString(TypeField, "json_object");
        }
        else
        {
            writer.WriteString(TypeField, "json_schema");
            writer.WriteStartObject("json_schema");
            writer.WriteString(NameField, json.SchemaName ?? "response");
            if (json.SchemaDescription is { } description)
            {
                writer.WriteString("description", description);
            }

            writer.WritePropertyName("schema");
            schema.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static string SerializeResult(FunctionResultContent result) => result.Result switch
    {
        null when result.Exception is { } ex => $"Error: {ex.Message}",
        null => "",
        string s => s,
        JsonElement element => element.GetRawText(),
        var value => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))),
    };

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ParticipantName();

    /// <summary>Top-level fields we write, unless the customization writes a field of that name itself.</summary>
    private readonly struct Fields(Utf8JsonWriter writer, RequestCustomization customization)
    {
        public bool Own(string name) => !customization.Writes(name);

        public void Write(string name, string? value)
        {
            if (value is not null && Own(name))
            {
                writer.WriteString(name, value);
            }
        }

        public void Write(string name, bool? value)
        {
            if (value is { } flag && Own(name))
            {
                writer.WriteBoolean(name, flag);
            }
        }

        public void Write(string name, float? value)
        {
            if (value is { } number && Own(name))
            {
                writer.WriteNumber(name, number);
            }
        }

        public void Write(string name, long? value)
        {
            if (value is { } number && Own(name))
            {
                writer.WriteNumber(name, number);
            }
        }
    }
}
