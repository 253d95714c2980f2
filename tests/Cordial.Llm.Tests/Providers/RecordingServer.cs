using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Tests.Providers;

/// <summary>A tiny HTTP server on 127.0.0.1 that answers every request with one fixed response and records the
/// path and query it was asked for (what the LLM emulator does not record). Also plays hand-written provider
/// answers the emulator does not produce (other reasoning field names, split tool-call arguments).</summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private RecordingServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<RecordingServer> StartAsync(HttpStatusCode status, string json, string contentType = "application/json")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RecordingServer(app);
        app.Run(async context =>
        {
            server._requests.Enqueue(context.Request.Path + context.Request.QueryString);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(json, context.RequestAborted);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
