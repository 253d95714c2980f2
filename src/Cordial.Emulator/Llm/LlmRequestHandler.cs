using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Llm;

/// <summary>
/// Serves one chat request in either wire format: parse, record, check the model, play a fault or the planned
/// answer. Never throws to the server: malformed input gets a 400, a client that leaves ends the work.
/// </summary>
internal sealed partial class LlmRequestHandler(LlmEmulator emulator, ILogger<LlmRequestHandler> logger, IHostApplicationLifetime? lifetime = null)
{
    private const int MaxHeaderValueLength = 4096;

    public async Task HandleAsync(HttpContext context, ILlmWire wire)
    {
        var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        var requestId = emulator.NextId("req_emu");
        context.Response.Headers["x-request-id"] = requestId;
        context.Response.Headers["request-id"] = requestId;
        emulator.RequestStarted();
        try
        {
            await ServeAsync(context, wire, cancellationToken);
        }
        catch (StreamCutException)
        {
            LogStreamCut(logger, wire.Endpoint);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogRequestEnded(logger, wire.Endpoint);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                context.Abort(); // emulator stopping: do not leave the client waiting for the rest
            }
        }
        catch (IOException e)
        {
            LogClientGone(logger, wire.Endpoint, e.Message);
        }
        finally
        {
            emulator.RequestEnded();
        }
    }

    private async Task ServeAsync(HttpContext context, ILlmWire wire, CancellationToken cancellationToken)
    {
        if (wire.CheckHeaders(context.Request) is { } headerError)
        {
            var status = headerError.Kind == LlmErrorKind.Unauthorized ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
            await wire.WriteErrorAsync(context, status, headerError.Kind, headerError.Message, cancellationToken);
            return;
        }

        string body;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            LogMalformed(logger, wire.Endpoint, e.Message);
            await wire.WriteErrorAsync(context, e.StatusCode, LlmErrorKind.InvalidRequest, $"The request body could not be read: {e.Message}", cancellationToken);
            return;
        }

        ChatRequest request;
        try
        {
            using var document = JsonDocument.Parse(body);
            request = wire.Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            LogMalformed(logger, wire.Endpoint, "invalid JSON");
            await wire.WriteErrorAsync(context, StatusCodes.Status400BadRequest, LlmErrorKind.InvalidRequest,
                $"The request body is not valid JSON: {e.Message}", cancellationToken);
            return;
        }
        catch (ChatRequestException e)
        {
            LogMalformed(logger, wire.Endpoint, e.Message);
            await wire.WriteErrorAsync(context, StatusCodes.Status400BadRequest, LlmErrorKind.InvalidRequest, e.Message, cancellationToken);
            return;
        }

        emulator.Record(new RecordedLlmRequest
        {
            Endpoint = wire.Endpoint,
            Model = request.Model,
            Stream = request.Stream,
            RawBody = body.Length > RecordedLlmRequest.MaxRawBodyLength ? body[..RecordedLlmRequest.MaxRawBodyLength] : body,
            LastUserText = request.LastUserText,
            ImageCount = request.ImageCount,
            Headers = CopyHeaders(context.Request.Headers),
            At = emulator.TimeProvider.GetUtcNow(),
        });

        if (!emulator.IsKnownModel(request.Model))
        {
            await WriteModelNotFoundAsync(context, wire, request.Model, cancellationToken);
            return;
        }

        var fault = emulator.TakeFault(request.Model);
        if (fault is not null)
        {
            LogFault(logger, wire.Endpoint, fault.GetType().Name, request.Model);
        }

        switch (fault)
        {
            case LlmFault.RateLimited rateLimited:
                var seconds = Math.Max(1, (long)Math.Ceiling(rateLimited.RetryAfter.TotalSeconds));
                context.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["retry-after-ms"] = ((long)rateLimited.RetryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                await wire.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, LlmErrorKind.RateLimited,
                    $"Rate limit reached for {request.Model} (emulated). Please try again in {seconds}s.", cancellationToken);
                return;
            case LlmFault.ServerError serverError:
                await wire.WriteErrorAsync(context, serverError.Status, LlmErrorKind.ServerError,
                    serverError.Status is 503 or 529 ? "Overloaded" : "The server had an error while processing your request (emulated).",
                    cancellationToken);
                return;
            case LlmFault.NotFound:
                await WriteModelNotFoundAsync(context, wire, request.Model, cancellationToken);
                return;
            case LlmFault.ContextTooLong:
                var tokens = request.PromptTokens + 200_000;
                await wire.WriteErrorAsync(context, StatusCodes.Status400BadRequest, LlmErrorKind.ContextTooLong,
                    wire.Endpoint == "anthropic"
                        ? $"prompt is too long: {tokens} tokens > 200000 maximum"
                        : $"This model's maximum context length is 200000 tokens. However, your messages resulted in {tokens} tokens. Please reduce the length of the messages.",
                    cancellationToken);
                return;
            case LlmFault.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return;
        }

        var plan = emulator.Plan(request);
        if (request.Stream)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.StartAsync(cancellationToken);
            await context.Response.BodyWriter.FlushAsync(cancellationToken); // headers go out now, before the first token
            await wire.WriteStreamAsync(context, request, plan, fault, cancellationToken);
            return;
        }

        var duration = TokenPacer.Duration(plan.Behavior, plan.StreamUnits);
        if (duration > TimeSpan.Zero)
        {
            await Task.Delay(duration, emulator.TimeProvider, cancellationToken);
        }

        switch (fault)
        {
            case LlmFault.CutStream:
                context.Abort();
                throw new StreamCutException();
            case LlmFault.MalformedSse:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"broken\", \"choices\": [ this is not JSON", cancellationToken);
                return;
        }

        await wire.WriteCompletionAsync(context, request, plan, cancellationToken);
    }

    private static Task WriteModelNotFoundAsync(HttpContext context, ILlmWire wire, string model, CancellationToken cancellationToken) =>
        wire.WriteErrorAsync(context, StatusCodes.Status404NotFound, LlmErrorKind.ModelNotFound,
            wire.Endpoint == "anthropic"
                ? $"model: {model}"
                : $"The model `{model}` does not exist or you do not have access to it.",
            cancellationToken);

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            var value = values.ToString();
            copy[name] = value.Length > MaxHeaderValueLength ? value[..MaxHeaderValueLength] : value;
        }

        return copy;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM emulator ({Endpoint}): malformed request: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM emulator ({Endpoint}): playing fault {Fault} for model {Model}")]
    private static partial void LogFault(ILogger logger, string endpoint, string fault, string model);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM emulator ({Endpoint}): stream cut on purpose")]
    private static partial void LogStreamCut(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM emulator ({Endpoint}): request ended by the client or by shutdown")]
    private static partial void LogRequestEnded(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM emulator ({Endpoint}): client went away: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string endpoint, string reason);
}
