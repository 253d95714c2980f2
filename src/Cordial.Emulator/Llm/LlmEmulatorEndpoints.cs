using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordial.Emulator.Llm;

/// <summary>Composes the LLM emulator into any ASP.NET Core application.</summary>
public static class LlmEmulatorEndpoints
{
    /// <summary>
    /// Registers <see cref="LlmEmulatorOptions"/> (configured by <paramref name="configure"/>) and the singleton
    /// <see cref="LlmEmulator"/>.
    /// </summary>
    public static IServiceCollection AddLlmEmulator(this IServiceCollection services, Action<LlmEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new LlmEmulatorOptions();
        configure?.Invoke(options);
        return services.AddLlmEmulator(options);
    }

    internal static IServiceCollection AddLlmEmulator(this IServiceCollection services, LlmEmulatorOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new LlmEmulator(sp.GetRequiredService<LlmEmulatorOptions>()));
        services.TryAddSingleton<LlmRequestHandler>();
        return services;
    }

    /// <summary>
    /// Maps POST /v1/chat/completions, GET /v1/models, POST /v1/messages and the control API under /_emulator/llm/.
    /// Requires <see cref="AddLlmEmulator(IServiceCollection, Action{LlmEmulatorOptions}?)"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapLlmEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var emulator = endpoints.ServiceProvider.GetRequiredService<LlmEmulator>();
        var handler = endpoints.ServiceProvider.GetRequiredService<LlmRequestHandler>();
        var openAi = new OpenAiWire(emulator);
        var anthropic = new AnthropicWire(emulator);

        endpoints.MapPost("/v1/chat/completions", context => handler.HandleAsync(context, openAi));
        endpoints.MapPost("/v1/messages", context => handler.HandleAsync(context, anthropic));
        endpoints.MapGet("/v1/models", context => WriteModelsAsync(context, emulator));
        LlmControlApi.Map(endpoints, emulator);
        return endpoints;
    }

    private static async Task WriteModelsAsync(HttpContext context, LlmEmulator emulator)
    {
        var created = emulator.TimeProvider.GetUtcNow();
        var anthropic = context.Request.Headers.ContainsKey("anthropic-version");
        var models = emulator.Models;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        if (!anthropic)
        {
            json.WriteString("object", "list");
        }

        json.WriteStartArray("data");
        foreach (var model in models)
        {
            json.WriteStartObject();
            json.WriteString("id", model);
            if (anthropic)
            {
                json.WriteString("type", "model");
                json.WriteString("display_name", model);
                json.WriteString("created_at", created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteString("object", "model");
                json.WriteNumber("created", created.ToUnixTimeSeconds());
                json.WriteString("owned_by", "cordial-emulator");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (anthropic)
        {
            json.WriteBoolean("has_more", false);
            json.WriteString("first_id", models.Count > 0 ? models[0] : null);
            json.WriteString("last_id", models.Count > 0 ? models[^1] : null);
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
