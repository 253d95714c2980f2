using Cordial.Emulator.Discord.Control;
using Cordial.Emulator.Discord.Gateway;
using Cordial.Emulator.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Discord;

/// <summary>Composes the Discord emulator into any WebApplication (sandbox, <c>cordial emulator</c>).</summary>
public static class DiscordEmulatorEndpoints
{
    /// <summary>Registers a singleton <see cref="DiscordEmulator"/> configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddDiscordEmulator(this IServiceCollection services, Action<DiscordEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new DiscordEmulatorOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(sp => new DiscordEmulator(options, sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Maps /api/v10/*, /gateway (websocket), /attachments/* and /_emulator/discord/*.
    /// The caller must call <c>app.UseWebSockets()</c> before.
    /// </summary>
    public static IEndpointRouteBuilder MapDiscordEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        DiscordRestApi.Map(endpoints);
        endpoints.Map("/gateway", GatewayEndpoint.HandleAsync);
        endpoints.MapGet("/attachments/{channel_id}/{attachment_id}/{filename}", ServeAttachmentAsync);
        DiscordControlApi.Map(endpoints);
        return endpoints;
    }

    private static async Task ServeAttachmentAsync(HttpContext context)
    {
        var emulator = context.RequestServices.GetRequiredService<DiscordEmulator>();
        if (!ulong.TryParse(context.GetRouteValue("attachment_id")?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            || emulator.GetAttachment(id) is not { Found: true, Attachment: { } stored })
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = stored.Attachment.ContentType;
        context.Response.ContentLength = stored.Data.Length;
        await context.Response.Body.WriteAsync(stored.Data, context.RequestAborted);
    }
}
