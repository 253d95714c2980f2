using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>
/// A scripted gateway on 127.0.0.1 (real Kestrel WebSockets): each accepted connection is handed to the test, which
/// plays Discord's side step by step. Used for what the emulator cannot do (garbage frames, every close code).
/// </summary>
internal sealed class FakeGatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeGatewayConnection> _connections = Channel.CreateBounded<FakeGatewayConnection>(100);
    private readonly List<FakeGatewayConnection> _all = [];

    private FakeGatewayServer(WebApplication app) => _app = app;

    public Uri GatewayUri { get; private set; } = null!;

    public static async Task<FakeGatewayServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeGatewayServer(app);
        app.UseWebSockets();
        app.Run(server.AcceptAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.GatewayUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway");
        return server;
    }

    /// <summary>The next connection the client opens.</summary>
    public async Task<FakeGatewayConnection> NextConnectionAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            return await _connections.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail("The client did not open another gateway connection.");
            throw;
        }
    }

    /// <summary>Accepts the next connection and plays HELLO, then answers IDENTIFY with READY or RESUME with RESUMED.</summary>
    public async Task<(FakeGatewayConnection Connection, System.Text.Json.JsonElement Handshake)> NextSessionAsync(int sequence, string sessionId = "session-1", string? resumeUrl = null)
    {
        var connection = await NextConnectionAsync();
        await connection.SendAsync(GatewayFrames.Hello(30_000));
        var handshake = await connection.ReceiveOpAsync(2, 6);
        if (handshake.GetProperty("op").GetInt32() == 2)
        {
            await connection.SendAsync(GatewayFrames.Ready(sequence, sessionId, resumeUrl ?? GatewayUri.AbsoluteUri));
        }
        else
        {
            await connection.SendAsync(GatewayFrames.Resumed(sequence));
        }

        return (connection, handshake);
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(socket, context.Request.Path + context.Request.QueryString, context.Request.Query["compress"] == "zlib-stream");
        lock (_all)
        {
            _all.Add(connection);
        }

        await _connections.Writer.WriteAsync(connection);
        await connection.RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        FakeGatewayConnection[] all;
        lock (_all)
        {
            all = [.. _all];
        }

        foreach (var connection in all)
        {
            connection.Abort();
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
