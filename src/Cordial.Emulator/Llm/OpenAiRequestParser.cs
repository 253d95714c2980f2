using System.Text;
using System.Text.Json;

namespace Cordial.Emulator.Llm;

/// <summary>Reads a /v1/chat/completions body. Unknown fields are accepted and ignored.</summary>
internal static class OpenAiRequestParser
{
    public static ChatRequest Parse(JsonElement root)
    {
        WireJson.RequireObject(root);
        var model = WireJson.RequireString(root, "model", "");
        var stream = WireJson.OptionalBool(root, "stream", "");
        var includeUsage = false;
        if (WireJson.OptionalObject(root, "stream_options", "") is { } streamOptions)
        {
            includeUsage = WireJson.OptionalBool(streamOptions, "include_usage", "stream_options.");
        }

        WireJson.OptionalNumber(root, "temperature", "", 0, 2);
        WireJson.OptionalNumber(root, "top_p", "", 0, 1);
        var maxTokens = WireJson.OptionalPositiveInt(root, "max_completion_tokens", "")
            ?? WireJson.OptionalPositiveInt(root, "max_tokens", "");
        WireJson.OptionalString(root, "reasoning_effort", "");

        var messages = WireJson.OptionalArray(root, "messages", "")
            ?? throw new ChatRequestException("messages: field required.");
        var turns = new List<ChatTurn>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            turns.Add(ParseMessage(message, $"messages[{index}]."));
            index++;
        }

        if (turns.Count == 0)
        {
            throw new ChatRequestException("messages: must contain at least one message.");
        }

        var toolNames = new List<string>();
        if (WireJson.OptionalArray(root, "tools", "") is { } tools)
        {
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var where = $"tools[{t}].";
                if (tool.ValueKind != JsonValueKind.Object)
                {
                    throw new ChatRequestException($"tools[{t}]: expected an object, got {WireJson.Describe(tool)}.");
                }

                var function = WireJson.OptionalObject(tool, "function", where)
                    ?? throw new ChatRequestException($"{where}function: field required.");
                toolNames.Add(WireJson.RequireString(function, "name", where + "function."));
                t++;
            }
        }

        // tool_choice "none" forbids calls: the emulated model then behaves as if no tool were offered.
        if (root.TryGetProperty("tool_choice", out var toolChoice) && toolChoice.ValueKind == JsonValueKind.String && toolChoice.GetString() == "none")
        {
            toolNames.Clear();
        }

        return new ChatRequest
        {
            Endpoint = "openai",
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            MaxTokens = maxTokens,
            Turns = turns,
            ToolNames = toolNames,
        };
    }

    private static ChatTurn ParseMessage(JsonElement message, string where)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException($"{where.TrimEnd('.')}: expected an object, got {WireJson.Describe(message)}.");
        }

        var role = WireJson.RequireString(message, "role", where);
        role = role switch
        {
            "developer" => "system",
            "system" or "user" or "assistant" or "tool" => role,
            "function" => "tool",
            _ => throw new ChatRequestException($"{where}role: unknown role '{role}' (expected system, developer, user, assistant or tool)."),
        };

        var text = new StringBuilder();
        var images = 0;
        if (message.TryGetProperty("content", out var content))
        {
            switch (content.ValueKind)
            {
                case JsonValueKind.String:
                    text.Append(content.GetString());
                    break;
                case JsonValueKind.Array:
                    var p = 0;
                    foreach (var part in content.EnumerateArray())
                    {
                        images += ParsePart(part, text, $"{where}content[{p}]");
                        p++;
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    throw new ChatRequestException($"{where}content: expected a string or an array, got {WireJson.Describe(content)}.");
            }
        }
        else if (role != "assistant")
        {
            throw new ChatRequestException($"{where}content: field required.");
        }

        if (role == "assistant" && WireJson.OptionalArray(message, "tool_calls", where) is { } calls)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object)
                {
                    throw new ChatRequestException($"{where}tool_calls: every tool call must be an object.");
                }

                WireJson.RequireString(call, "id", where + "tool_calls[].");
            }
        }

        if (role == "tool")
        {
            WireJson.OptionalString(message, "tool_call_id", where);
        }

        return new ChatTurn(role, text.ToString(), images, role == "tool");
    }

    private static int ParsePart(JsonElement part, StringBuilder text, string where)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException($"{where}: expected an object, got {WireJson.Describe(part)}.");
        }

        var type = WireJson.RequireString(part, "type", where + ".");
        switch (type)
        {
            case "text":
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(WireJson.RequireString(part, "text", where + "."));
                return 0;
            case "image_url":
                string url;
                if (part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.String)
                {
                    url = image.GetString()!;
                }
                else
                {
                    var imageObject = WireJson.OptionalObject(part, "image_url", where + ".")
                        ?? throw new ChatRequestException($"{where}.image_url: field required.");
                    url = WireJson.RequireString(imageObject, "url", where + ".image_url.");
                }

                WireJson.ValidateImageUrl(url, where + ".image_url.url");
                return 1;
            default:
                return 0; // refusal, input_audio, file …: accepted, not interpreted
        }
    }
}
