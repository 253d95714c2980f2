using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cordial.Emulator.Discord.Gateway;

/// <summary>GET /gateway: the websocket upgrade (?v=10&amp;encoding=json[&amp;compress=zlib-stream]).</summary>
internal static class GatewayEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var emulator = context.RequestServices.GetRequiredService<DiscordEmulator>();
        emulator.NoteBaseAddress(context.Request);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("This is the gateway: connect with a websocket.", context.RequestAborted);
            return;
        }

        var query = context.Request.Query;
        var version = query["v"].ToString();
        var encoding = query["encoding"].ToString();
        var compress = query["compress"].ToString();
        (int Code, string Reason)? reject = null;
        if (version.Length > 0 && version is not ("10" or "9"))
        {
            reject = (GatewayCloseCodes.InvalidApiVersion, "Invalid API version.");
        }
        else if (encoding.Length > 0 && encoding != "json")
        {
            reject = (GatewayCloseCodes.DecodeError, "Only encoding=json is supported.");
        }
        else if (compress.Length > 0 && compress != "zlib-stream")
        {
            reject = (GatewayCloseCodes.DecodeError, "Only compress=zlib-stream is supported.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var scheme = context.Request.IsHttps ? "wss" : "ws";
        var url = scheme + "://" + context.Request.Host.Value + context.Request.PathBase.Value + "/gateway";
        var connection = new GatewayConnection(socket, emulator, compress == "zlib-stream", url);
        emulator.AddConnection(connection);
        try
        {
            await connection.RunAsync(reject, context.RequestAborted);
        }
        finally
        {
            emulator.RemoveConnection(connection);
        }
    }
}
