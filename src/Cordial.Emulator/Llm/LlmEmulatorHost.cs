using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Llm;

/// <summary>The LLM emulator in its own Kestrel server on 127.0.0.1.</summary>
/// <remarks>The host owns its server: dispose it to stop listening (hanging and streaming requests are ended).</remarks>
public sealed class LlmEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LlmEmulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        OpenAIBaseAddress = new Uri(baseAddress, "v1/");
        AnthropicBaseAddress = baseAddress;
        Emulator = app.Services.GetRequiredService<LlmEmulator>();
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; }

    /// <summary>http://127.0.0.1:{port}/v1/ (the OpenAI SDK endpoint).</summary>
    public Uri OpenAIBaseAddress { get; }

    /// <summary>http://127.0.0.1:{port}/ (the Anthropic SDK base URL; it appends v1/messages).</summary>
    public Uri AnthropicBaseAddress { get; }

    /// <summary>State and control of this emulator.</summary>
    public LlmEmulator Emulator { get; }

    /// <summary>Starts a server on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<LlmEmulatorHost> StartAsync(LlmEmulatorOptions? options = null, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LlmEmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddLlmEmulator(options ?? new LlmEmulatorOptions());
        var app = builder.Build();
        app.MapLlmEmulator();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var actualPort = new Uri(address).Port;
        return new LlmEmulatorHost(app, new Uri($"http://127.0.0.1:{actualPort}/"));
    }

    /// <summary>Stops the server (in-flight requests are ended) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
