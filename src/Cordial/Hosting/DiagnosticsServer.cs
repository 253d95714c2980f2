using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cordial.Bot.Diagnostics;

namespace Cordial.Hosting;

/// <summary>
/// The HTTP endpoints of <c>cordial run</c>: <c>GET /alive</c>, <c>GET /health</c>, <c>GET /stats</c> and
/// <c>POST /stats/reset</c> (docs/OPERATIONS.md), answered by the framework's <see cref="HttpListener"/>.
/// </summary>
/// <remarks>
/// The bot alone runs on the generic host: ASP.NET Core with Kestrel, routing and minimal APIs cost ~11 MB of resident
/// memory at 1,000 users for four small answers (docs/PERFORMANCE.md, eighth session). The sandbox keeps Kestrel, which
/// also serves its emulator. Requests carry no body that is read; every answer is a few kilobytes at most.
/// </remarks>
internal sealed partial class DiagnosticsServer : IAsyncDisposable
{
    private const int PortAttempts = 20;
    private const string PlainText = "text/plain; charset=utf-8";
    private static readonly byte[] Alive = "alive\n"u8.ToArray();
    private static readonly byte[] ResetRefusal = System.Text.Encoding.UTF8.GetBytes(StatsApi.ResetRefusal);

    private readonly HttpListener _listener;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly Task _accepting;

    private DiagnosticsServer(HttpListener listener, Uri address, IServiceProvider services, ILogger logger)
    {
        _listener = listener;
        Address = address;
        _services = services;
        _logger = logger;
        _accepting = AcceptAsync();
    }

    /// <summary>http://host:port/ as a client on this machine reaches it (a wildcard address answers on 127.0.0.1).</summary>
    public Uri Address { get; }

    /// <summary>Listens on <paramref name="address"/> and <paramref name="port"/> (0: a free port) and starts answering.</summary>
    /// <exception cref="HttpListenerException">The address or port cannot be listened on.</exception>
    public static DiagnosticsServer Start(IServiceProvider services, string address, int port)
    {
        ArgumentNullException.ThrowIfNull(services);
        var ip = IPAddress.Parse(address);
        var wildcard = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
        var host = wildcard ? "*" : ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<DiagnosticsServer>();
        for (var attempt = 1; ; attempt++)
        {
            // HttpListener takes no port 0: ask the system for a free one, which another process may take before the
            // listener binds it; then try again.
            var chosen = port != 0 ? port : FreePort(wildcard ? IPAddress.Loopback : ip);
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{chosen}/"));
            if (IPAddress.IsLoopback(ip))
            {
                // The listener matches the Host header too: on loopback, answer "localhost" as well as the address.
                listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{chosen}/"));
            }

            try
            {
                listener.Start();
            }
            catch (HttpListenerException)
            {
                listener.Close();
                if (port == 0 && attempt < PortAttempts)
                {
                    continue;
                }

                throw;
            }

            var reachable = wildcard ? "127.0.0.1" : host;
            return new DiagnosticsServer(listener, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{reachable}:{chosen}/")), services, logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed
            }

            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request;
            var path = request.Url?.AbsolutePath ?? "/";
            var method = request.HttpMethod;
            switch (path)
            {
                case "/alive" when method == "GET":
                    await WriteAsync(response, StatusCodes.Status200OK, PlainText, Alive);
                    break;
                case "/health" when method == "GET":
                    var health = await HealthApi.CheckAsync(
                        _services.GetRequiredService<BotRuntime>(), _services.GetRequiredService<BotServiceCollectionExtensions.StorageHandle>(), CancellationToken.None);
                    await WriteJsonAsync(response, health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, json => HealthApi.Write(json, health));
                    break;
                case "/stats" when method == "GET":
                    var stats = _services.GetRequiredService<BotStats>();
                    var process = ProcessFigures.Read();
                    await WriteJsonAsync(response, StatusCodes.Status200OK, json => StatsApi.WriteStats(json, stats, process));
                    break;
                case "/stats/reset" when method == "POST":
                    if (!StatsApi.MayReset(request.RemoteEndPoint.Address))
                    {
                        await WriteAsync(response, StatusCodes.Status403Forbidden, PlainText, ResetRefusal);
                        break;
                    }

                    _services.GetRequiredService<BotStats>().Reset();
                    await WriteAsync(response, StatusCodes.Status204NoContent, contentType: null, ReadOnlyMemory<byte>.Empty);
                    break;
                case "/alive" or "/health" or "/stats" or "/stats/reset":
                    response.AddHeader("Allow", path == "/stats/reset" ? "POST" : "GET");
                    await WriteAsync(response, StatusCodes.Status405MethodNotAllowed, contentType: null, ReadOnlyMemory<byte>.Empty);
                    break;
                default:
                    await WriteAsync(response, StatusCodes.Status404NotFound, contentType: null, ReadOnlyMemory<byte>.Empty);
                    break;
            }
        }
#pragma warning disable CA1031 // One failed answer must not end the server; the caller sees a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.AnswerFailed(_logger, ex);
            try
            {
                response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            catch (InvalidOperationException)
            {
                // Headers already sent: closing the connection is all that is left.
            }
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        await WriteAsync(response, status, "application/json", buffer.WrittenMemory);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength64 = body.Length;
        if (body.Length > 0)
        {
            await response.OutputStream.WriteAsync(body);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A diagnostics request failed")]
        public static partial void AnswerFailed(ILogger logger, Exception exception);
    }
}
