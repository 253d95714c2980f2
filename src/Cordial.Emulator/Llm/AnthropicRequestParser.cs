using System.Text;
using System.Text.Json;

namespace Cordial.Emulator.Llm;

/// <summary>Reads a /v1/messages body. Unknown fields are accepted and ignored.</summary>
internal static class AnthropicRequestParser
{
    public static ChatRequest Parse(JsonElement root)
    {
        WireJson.RequireObject(root);
        var model = WireJson.RequireString(root, "model", "");
        var maxTokens = WireJson.OptionalPositiveInt(root, "max_tokens", "")
            ?? throw new ChatRequestException("max_tokens: field required.");
        var stream = WireJson.OptionalBool(root, "stream", "");
        WireJson.OptionalNumber(root, "temperature", "", 0, 1);
        WireJson.OptionalNumber(root, "top_p", "", 0, 1);
        WireJson.OptionalObject(root, "thinking", "");
        WireJson.OptionalObject(root, "metadata", "");

        var turns = new List<ChatTurn>();
        if (root.TryGetProperty("system", out var system))
        {
            var text = new StringBuilder();
            switch (system.ValueKind)
            {
                case JsonValueKind.String:
                    text.Append(system.GetString());
                    break;
                case JsonValueKind.Array:
                    var s = 0;
                    foreach (var block in system.EnumerateArray())
                    {
                        ParseBlock(block, text, $"system[{s}]", out _);
                        s++;
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    throw new ChatRequestException($"system: expected a string or an array, got {WireJson.Describe(system)}.");
            }

            if (text.Length > 0)
            {
                turns.Add(new ChatTurn("system", text.ToString(), 0, false));
            }
        }

        var messages = WireJson.OptionalArray(root, "messages", "")
            ?? throw new ChatRequestException("messages: field required.");
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            turns.Add(ParseMessage(message, $"messages.{index}"));
            index++;
        }

        if (index == 0)
        {
            throw new ChatRequestException("messages: at least one message is required.");
        }

        var toolNames = new List<string>();
        if (WireJson.OptionalArray(root, "tools", "") is { } tools)
        {
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind != JsonValueKind.Object)
                {
                    throw new ChatRequestException($"tools.{t}: expected an object, got {WireJson.Describe(tool)}.");
                }

                toolNames.Add(WireJson.RequireString(tool, "name", $"tools.{t}."));
                t++;
            }
        }

        // tool_choice {"type":"none"} forbids calls: the emulated model then behaves as if no tool were offered.
        if (WireJson.OptionalObject(root, "tool_choice", "") is { } toolChoice && WireJson.OptionalString(toolChoice, "type", "tool_choice.") == "none")
        {
            toolNames.Clear();
        }

        return new ChatRequest
        {
            Endpoint = "anthropic",
            Model = model,
            Stream = stream,
            IncludeUsage = true,
            MaxTokens = maxTokens,
            Turns = turns,
            ToolNames = toolNames,
        };
    }

    private static ChatTurn ParseMessage(JsonElement message, string where)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException($"{where}: expected an object, got {WireJson.Describe(message)}.");
        }

        var role = WireJson.RequireString(message, "role", where + ".");
        if (role is not ("user" or "assistant"))
        {
            throw new ChatRequestException($"{where}.role: Input should be 'user' or 'assistant', got '{role}'.");
        }

        if (!message.TryGetProperty("content", out var content))
        {
            throw new ChatRequestException($"{where}.content: field required.");
        }

        var text = new StringBuilder();
        var images = 0;
        var toolResult = false;
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(content.GetString());
                break;
            case JsonValueKind.Array:
                var b = 0;
                foreach (var block in content.EnumerateArray())
                {
                    images += ParseBlock(block, text, $"{where}.content.{b}", out var isToolResult);
                    toolResult |= isToolResult;
                    b++;
                }

                break;
            default:
                throw new ChatRequestException($"{where}.content: expected a string or an array, got {WireJson.Describe(content)}.");
        }

        return new ChatTurn(role, text.ToString(), images, toolResult);
    }

    /// <summary>Reads one content block; appends its text (not tool results') and returns its image count.</summary>
    private static int ParseBlock(JsonElement block, StringBuilder text, string where, out bool toolResult)
    {
        toolResult = false;
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException($"{where}: expected an object, got {WireJson.Describe(block)}.");
        }

        var type = WireJson.RequireString(block, "type", where + ".");
        switch (type)
        {
            case "text":
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(WireJson.RequireString(block, "text", where + "."));
                return 0;
            case "image":
                var source = WireJson.OptionalObject(block, "source", where + ".")
                    ?? throw new ChatRequestException($"{where}.source: field required.");
                var sourceType = WireJson.RequireString(source, "type", where + ".source.");
                switch (sourceType)
                {
                    case "base64":
                        var media = WireJson.RequireString(source, "media_type", where + ".source.");
                        if (!media.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                        {
                            throw new ChatRequestException($"{where}.source.media_type: expected an image type, got '{media}'.");
                        }

                        WireJson.RequireString(source, "data", where + ".source.");
                        break;
                    case "url":
                        WireJson.ValidateImageUrl(WireJson.RequireString(source, "url", where + ".source."), where + ".source.url");
                        break;
                    default:
                        throw new ChatRequestException($"{where}.source.type: expected 'base64' or 'url', got '{sourceType}'.");
                }

                return 1;
            case "tool_use":
                WireJson.RequireString(block, "id", where + ".");
                WireJson.RequireString(block, "name", where + ".");
                return 0;
            case "tool_result":
                WireJson.RequireString(block, "tool_use_id", where + ".");
                toolResult = true;
                return 0;
            default:
                return 0; // thinking, document, redacted_thinking …: accepted, not interpreted
        }
    }
}
