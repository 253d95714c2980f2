using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cordial.Emulator.Llm;

/// <summary>Writes server-sent events whose data is one JSON object, flushing each event.</summary>
internal sealed class SseWriter : IDisposable
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public SseWriter(HttpResponse response)
    {
        _response = response;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>The writer of the event being built (after <see cref="Begin"/>).</summary>
    public Utf8JsonWriter Current => _json;

    /// <summary>Starts a new event's JSON data; write one value, then call <see cref="SendAsync"/>.</summary>
    public Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        return _json;
    }

    public async Task SendAsync(string? eventName, CancellationToken cancellationToken)
    {
        _json.Flush();
        var pipe = _response.BodyWriter;
        if (eventName is not null)
        {
            pipe.Write(EventPrefix);
            Encoding.UTF8.GetBytes(eventName, pipe);
            pipe.Write(LineEnd);
        }

        pipe.Write(DataPrefix);
        pipe.Write(_buffer.WrittenSpan);
        pipe.Write(EventEnd);
        await pipe.FlushAsync(cancellationToken);
    }

    /// <summary>Writes text exactly as given (used for "data: [DONE]" and for deliberate garbage).</summary>
    public async Task SendRawAsync(string text, CancellationToken cancellationToken)
    {
        var pipe = _response.BodyWriter;
        Encoding.UTF8.GetBytes(text, pipe);
        await pipe.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();
}
