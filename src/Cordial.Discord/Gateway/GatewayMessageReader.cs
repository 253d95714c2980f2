using System.IO.Compression;

namespace Cordial.Discord.Gateway;

/// <summary>
/// Turns the WebSocket frames of one connection into complete JSON payloads. Plain mode: a payload is one WebSocket
/// message (possibly several frames). zlib-stream mode: one inflate context for the whole connection; compressed bytes
/// accumulate (across frames and even across WebSocket messages) until they end with 00 00 FF FF, then inflate.
/// </summary>
/// <remarks>
/// Never throws on bad input: garbage, truncation or oversize become <see cref="GatewayReadStatus.Skipped"/> (plain) or
/// <see cref="GatewayReadStatus.Broken"/> (zlib: the shared context is lost, so the connection must be replaced).
/// Not thread-safe: one read loop owns it. Create one per connection.
/// </remarks>
internal sealed class GatewayMessageReader : IDisposable
{
    private static ReadOnlySpan<byte> ZlibSuffix => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Buffers grown past this by a large payload are released before the next one.</summary>
    private const int RetainedBufferBytes = 1024 * 1024;

    private readonly bool _zlib;
    private readonly int _maxPayloadBytes;
    private readonly ZlibFeedStream? _feed;
    private readonly ZLibStream? _inflater;
    private byte[] _input = new byte[16 * 1024];
    private int _inputLength;
    private byte[] _output;
    private int _outputLength;
    private bool _oversized;
    private bool _broken;

    public GatewayMessageReader(GatewayCompression compression, int maxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 16);
        _maxPayloadBytes = maxPayloadBytes;
        _zlib = compression == GatewayCompression.ZlibStream;
        _output = _zlib ? new byte[32 * 1024] : [];
        if (_zlib)
        {
            _feed = new ZlibFeedStream();
            _inflater = new ZLibStream(_feed, CompressionMode.Decompress);
        }
    }

    /// <summary>The last complete payload (valid until the next <see cref="Append"/>).</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>Why the last frame gave <see cref="GatewayReadStatus.Skipped"/> or <see cref="GatewayReadStatus.Broken"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Feeds one WebSocket frame.</summary>
    public GatewayReadStatus Append(ReadOnlySpan<byte> frame, bool endOfMessage)
    {
        Payload = default;
        Error = null;
        if (_broken)
        {
            Error = "the compressed stream is already broken";
            return GatewayReadStatus.Broken;
        }

        if (_inputLength == 0 && _input.Length > RetainedBufferBytes)
        {
            _input = new byte[16 * 1024];
        }

        if (!_oversized)
        {
            if ((long)_inputLength + frame.Length > _maxPayloadBytes)
            {
                _oversized = true;
                _inputLength = 0;
            }
            else
            {
                EnsureCapacity(ref _input, _inputLength + frame.Length);
                frame.CopyTo(_input.AsSpan(_inputLength));
                _inputLength += frame.Length;
            }
        }

        if (_oversized)
        {
            if (_zlib)
            {
                return Break($"a compressed payload exceeded {_maxPayloadBytes} bytes");
            }

            if (!endOfMessage)
            {
                return GatewayReadStatus.NeedMore;
            }

            _oversized = false;
            Error = $"a payload exceeded {_maxPayloadBytes} bytes and was dropped";
            return GatewayReadStatus.Skipped;
        }

        if (!endOfMessage)
        {
            return GatewayReadStatus.NeedMore;
        }

        if (!_zlib)
        {
            Payload = _input.AsMemory(0, _inputLength);
            _inputLength = 0;
            if (Payload.IsEmpty)
            {
                Error = "an empty message";
                return GatewayReadStatus.Skipped;
            }

            return GatewayReadStatus.Payload;
        }

        if (_inputLength < ZlibSuffix.Length || !_input.AsSpan(_inputLength - ZlibSuffix.Length, ZlibSuffix.Length).SequenceEqual(ZlibSuffix))
        {
            // A payload may span several WebSocket messages: wait for the flush suffix.
            return GatewayReadStatus.NeedMore;
        }

        return Inflate();
    }

    private GatewayReadStatus Inflate()
    {
        _feed!.Set(_input.AsMemory(0, _inputLength));
        _outputLength = 0;
        if (_output.Length > RetainedBufferBytes)
        {
            _output = new byte[32 * 1024];
        }

        try
        {
            while (true)
            {
                if (_outputLength == _output.Length)
                {
                    if (_output.Length >= _maxPayloadBytes)
                    {
                        return Break($"a decompressed payload exceeded {_maxPayloadBytes} bytes");
                    }

                    Array.Resize(ref _output, (int)Math.Min((long)_output.Length * 2, _maxPayloadBytes));
                }

                var n = _inflater!.Read(_output, _outputLength, _output.Length - _outputLength);
                if (n == 0)
                {
                    break;
                }

                _outputLength += n;
            }
        }
        catch (InvalidDataException ex)
        {
            return Break("corrupt zlib data: " + ex.Message);
        }
        catch (IOException ex)
        {
            return Break("zlib stream failure: " + ex.Message);
        }

        _inputLength = 0;
        if (_outputLength == 0)
        {
            // A real payload never inflates to nothing: the context has ended or is out of step.
            return Break("a compressed message decoded to nothing");
        }

        Payload = _output.AsMemory(0, _outputLength);
        return GatewayReadStatus.Payload;
    }

    private GatewayReadStatus Break(string error)
    {
        _broken = true;
        _inputLength = 0;
        Error = error;
        return GatewayReadStatus.Broken;
    }

    private void EnsureCapacity(ref byte[] buffer, int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var size = buffer.Length;
        while (size < needed)
        {
            size = (int)Math.Min((long)size * 2, _maxPayloadBytes);
        }

        Array.Resize(ref buffer, size);
    }

    public void Dispose()
    {
        _inflater?.Dispose();
        _feed?.Dispose();
    }
}
