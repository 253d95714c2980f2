using System.Net;
using Cordial.Configuration;

namespace Cordial.Hosting;

/// <summary>Builds the one WebApplication of a running Cordial: the bot, /health and /alive (the sandbox adds more).</summary>
internal static class CordialApp
{
    public static WebApplicationBuilder CreateBuilder(CordialSettings settings, IConfigurationRoot configuration, string contentRoot, int port)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        if (configuration.GetSection("Logging:LogLevel:Default").Value is null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }

        var address = IPAddress.Parse(settings.Http.Address);
        // Kestrel's core only: plain HTTP on one address (UseKestrel would add HTTPS and QUIC, and load them).
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.Limits.MaxRequestBodySize = 30L * 1024 * 1024;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        builder.Services.AddCordialBot(settings, configuration, contentRoot);
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
}
