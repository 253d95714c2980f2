namespace Cordial.Discord.Gateway;

/// <summary>
/// A read-only stream over the compressed bytes of the current payload. Reading past them returns 0 (not an end of
/// stream for the inflater, which keeps its state and asks again when the next payload is set).
/// </summary>
internal sealed class ZlibFeedStream : Stream
{
    private ReadOnlyMemory<byte> _data;

    public void Set(ReadOnlyMemory<byte> data) => _data = data;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _data.Length);
        _data.Span[..n].CopyTo(buffer);
        _data = _data[n..];
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
