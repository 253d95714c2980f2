using System.Text.Json;
using System.Text.RegularExpressions;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

#pragma warning disable OPENAI001 // Seed and ReasoningEffortLevel are marked for evaluation; both are plain request fields.

namespace Cordial.Llm.Providers;

/// <summary>Maps Microsoft.Extensions.AI messages and options onto the OpenAI SDK's request types.</summary>
internal static partial class OpenAIRequestMapper
{
    public static List<OpenAIChatMessage> ToOpenAIMessages(IReadOnlyList<AIChatMessage> messages, string? instructions)
    {
        var result = new List<OpenAIChatMessage>(messages.Count + 1);
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            result.Add(new SystemChatMessage(instructions));
        }

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                result.Add(new SystemChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                result.Add(ToAssistantMessage(message));
            }
            else if (message.Role == ChatRole.Tool)
            {
                foreach (var toolResult in message.Contents.OfType<FunctionResultContent>())
                {
                    result.Add(new ToolChatMessage(toolResult.CallId, SerializeResult(toolResult)));
                }
            }
            else
            {
                result.Add(ToUserMessage(message));
            }
        }

        return result;
    }

    public static ChatCompletionOptions ToCompletionOptions(ChatOptions? options, ModelOptions model)
    {
        var result = new ChatCompletionOptions
        {
            Temperature = options?.Temperature ?? (float?)model.Temperature,
            MaxOutputTokenCount = options?.MaxOutputTokens ?? model.MaxOutputTokens,
            TopP = options?.TopP,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
            Seed = options?.Seed,
        };

        foreach (var stop in options?.StopSequences ?? [])
        {
            result.StopSequences.Add(stop);
        }

        var effort = options?.Reasoning?.Effort switch
        {
            ReasoningEffort.None => "none",
            ReasoningEffort.Low => "low",
            ReasoningEffort.Medium => "medium",
            ReasoningEffort.High => "high",
            ReasoningEffort.ExtraHigh => "high",
            _ => model.ReasoningEffort?.ToLowerInvariant(),
        };
        if (effort is not null)
        {
            result.ReasoningEffortLevel = new ChatReasoningEffortLevel(effort);
        }

        foreach (var tool in options?.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function)
            {
                result.Tools.Add(ChatTool.CreateFunctionTool(
                    function.Name,
                    function.Description,
                    BinaryData.FromString(function.JsonSchema.GetRawText())));
            }
        }

        if (result.Tools.Count > 0)
        {
            result.ToolChoice = options?.ToolMode switch
            {
                NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
                _ => null,
            };
            result.AllowParallelToolCalls = options?.AllowMultipleToolCalls;
        }

        result.ResponseFormat = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json => OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription),
            ChatResponseFormatJson => OpenAI.Chat.ChatResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };

        return result;
    }

    private static AssistantChatMessage ToAssistantMessage(AIChatMessage message)
    {
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        var calls = message.Contents.OfType<FunctionCallContent>()
            .Select(call => ChatToolCall.CreateFunctionToolCall(
                call.CallId,
                call.Name,
                BinaryData.FromString(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))))))
            .ToList();

        AssistantChatMessage result;
        if (calls.Count > 0)
        {
            result = new AssistantChatMessage(calls);
            if (text.Length > 0)
            {
                result.Content.Add(ChatMessageContentPart.CreateTextPart(text));
            }
        }
        else
        {
            result = new AssistantChatMessage(text);
        }

        if (IsValidParticipantName(message.AuthorName))
        {
            result.ParticipantName = message.AuthorName;
        }

        return result;
    }

    private static UserChatMessage ToUserMessage(AIChatMessage message)
    {
        var parts = new List<ChatMessageContentPart>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text when !string.IsNullOrEmpty(text.Text):
                    parts.Add(ChatMessageContentPart.CreateTextPart(text.Text));
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    parts.Add(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(data.Data), data.MediaType));
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    parts.Add(ChatMessageContentPart.CreateImagePart(uri.Uri));
                    break;
            }
        }

        if (parts.Count == 0)
        {
            parts.Add(ChatMessageContentPart.CreateTextPart(""));
        }

        var result = new UserChatMessage(parts);
        if (IsValidParticipantName(message.AuthorName))
        {
            result.ParticipantName = message.AuthorName;
        }

        return result;
    }

    private static string SerializeResult(FunctionResultContent result) => result.Result switch
    {
        null when result.Exception is { } ex => $"Error: {ex.Message}",
        null => "",
        string s => s,
        JsonElement element => element.GetRawText(),
        var value => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))),
    };

    private static bool IsValidParticipantName(string? name) => name is not null && ParticipantName().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ParticipantName();
}
