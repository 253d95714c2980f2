using System.Net;
using Cordial.Configuration;

namespace Cordial.Hosting;

/// <summary>
/// Builds the host of a running Cordial. <c>cordial run</c> (the bot alone) uses the generic host and a
/// <see cref="DiagnosticsServer"/> for /alive, /health and /stats; the sandbox uses a WebApplication, whose Kestrel
/// also serves the emulator and the chat page.
/// </summary>
internal static class CordialApp
{
    /// <summary>The bot alone: the generic host, no ASP.NET Core (≈ 11 MB less resident at 1,000 users; docs/PERFORMANCE.md).</summary>
    public static HostApplicationBuilder CreateHostBuilder(CordialSettings settings, IConfigurationRoot configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Logging.AddConsole();
        Configure(builder, settings, configuration, contentRoot);
        return builder;
    }

    /// <summary>The sandbox's web application: the bot, its diagnostics, and whatever the sandbox maps beside them.</summary>
    public static WebApplicationBuilder CreateBuilder(CordialSettings settings, IConfigurationRoot configuration, string contentRoot, int port)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [] });
        Configure(builder, settings, configuration, contentRoot);
        var address = IPAddress.Parse(settings.Http.Address);

        // Kestrel's core only: plain HTTP on one address (UseKestrel would add HTTPS and QUIC, and load them).
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.Limits.MaxRequestBodySize = 30L * 1024 * 1024;
        });
        return builder;
    }

    /// <summary>The address the server actually listens on (after start; resolves port 0).</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        var uri = new Uri(addresses.First());
        var host = uri.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : uri.Host;
        return new Uri($"http://{host}:{uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");
    }

    private static void Configure(IHostApplicationBuilder builder, CordialSettings settings, IConfigurationRoot configuration, string contentRoot)
    {
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        if (configuration.GetSection("Logging:LogLevel:Default").Value is null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        builder.Services.AddCordialBot(settings, configuration, contentRoot);
    }
}
