using System.IO.Compression;

namespace Cordial.Emulator.Discord.Gateway;

/// <summary>
/// Transport compression for <c>compress=zlib-stream</c>: ONE zlib context for the whole connection;
/// every payload is followed by a sync flush, so each compressed chunk ends with 00 00 FF FF.
/// Not thread-safe: used only by the connection's writer loop.
/// </summary>
internal sealed class ZlibStreamEncoder : IDisposable
{
    private readonly MemoryStream _output = new();
    private readonly ZLibStream _zlib;

    public ZlibStreamEncoder()
    {
        _zlib = new ZLibStream(_output, CompressionLevel.Fastest, leaveOpen: true);
    }

    public byte[] Compress(ReadOnlySpan<byte> payload)
    {
        _zlib.Write(payload);
        _zlib.Flush(); // DeflateStream.Flush performs Z_SYNC_FLUSH: output ends with 00 00 FF FF
        var result = _output.ToArray();
        _output.SetLength(0);
        return result;
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _output.Dispose();
    }
}
