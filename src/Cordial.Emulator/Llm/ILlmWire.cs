using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cordial.Emulator.Llm;

/// <summary>One provider's wire format: how requests read and how answers and errors are written.</summary>
internal interface ILlmWire
{
    string Endpoint { get; }

    /// <summary>Checks the headers before the body is read; returns an error message or null.</summary>
    (LlmErrorKind Kind, string Message)? CheckHeaders(HttpRequest request);

    ChatRequest Parse(JsonElement root);

    Task WriteErrorAsync(HttpContext context, int status, LlmErrorKind kind, string message, CancellationToken cancellationToken);

    Task WriteCompletionAsync(HttpContext context, ChatRequest request, AnswerPlan plan, CancellationToken cancellationToken);

    Task WriteStreamAsync(HttpContext context, ChatRequest request, AnswerPlan plan, LlmFault? fault, CancellationToken cancellationToken);
}
