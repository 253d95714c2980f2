using System.IO.Compression;
using System.Text;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>Compresses payloads the way Discord's zlib-stream does: one context, a sync flush after each payload.</summary>
internal sealed class ZlibTestStream : IDisposable
{
    private readonly MemoryStream _output = new();
    private readonly ZLibStream _zlib;

    public ZlibTestStream() => _zlib = new ZLibStream(_output, CompressionLevel.Fastest, leaveOpen: true);

    public byte[] Compress(string json) => Compress(Encoding.UTF8.GetBytes(json));

    public byte[] Compress(byte[] payload)
    {
        _output.SetLength(0);
        _zlib.Write(payload);
        _zlib.Flush();
        return _output.ToArray();
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _output.Dispose();
    }
}
