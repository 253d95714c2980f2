using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Cordial.LoadTest;

/// <summary>
/// The HTTP calls of the load test: the emulators' control APIs (seeding, users' messages, slash commands, latency,
/// stats) and the bot's /health and /stats. JSON bodies are written with <see cref="Utf8JsonWriter"/> and answers read
/// with <see cref="JsonDocument"/>, so nothing here needs reflection.
/// </summary>
internal sealed class LoadTestHttp(HttpClient http, Uri emulator)
{
    public Uri Emulator { get; } = emulator;

    public static HttpClient CreateClient(int users) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Clamp(users, 16, 512),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<JsonElement> PostAsync(string path, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        using var content = Json(body);
        using var response = await http.PostAsync(new Uri(Emulator, path), content, cancellationToken);
        return await ReadAsync(response, path, cancellationToken);
    }

    public async Task<JsonElement> GetAsync(Uri address, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(address, cancellationToken);
        return await ReadAsync(response, address.AbsolutePath, cancellationToken);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => GetAsync(new Uri(Emulator, path), cancellationToken);

    /// <summary>Status code of a GET, or null when nothing answers.</summary>
    public async Task<int?> ProbeAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(address, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>POST without a body; the status code, or null when nothing answers.</summary>
    public async Task<int?> PostEmptyAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync(address, null, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task<Stream> OpenEventStreamAsync(CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(new Uri(Emulator, "_emulator/discord/events"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    public static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    public static ulong ReadId(JsonElement element, string property) =>
        ulong.Parse(element.GetProperty(property).GetString() ?? throw new JsonException($"'{property}' is null."), NumberStyles.None, CultureInfo.InvariantCulture);

    private static ByteArrayContent Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {Truncate(text)}", null, response.StatusCode);
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Writes an object with the given string properties.</summary>
    public static Action<Utf8JsonWriter> Object(params (string Name, string? Value)[] properties) => w =>
    {
        w.WriteStartObject();
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }

        w.WriteEndObject();
    };
}
