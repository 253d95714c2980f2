namespace Cordial.Discord.Gateway;

/// <summary>
/// The envelope of one received payload, located without copying: <c>op</c>, <c>s</c>, <c>t</c> and where <c>d</c>
/// and <c>t</c> sit in the payload bytes.
/// </summary>
internal readonly record struct GatewayPayload(
    int OpCode,
    int? Sequence,
    GatewayDispatchType Dispatch,
    int DataStart,
    int DataLength,
    int NameStart,
    int NameLength)
{
    public ReadOnlySpan<byte> Data(ReadOnlySpan<byte> payload) => payload.Slice(DataStart, DataLength);

    /// <summary>The event name as text (allocates; for logging unknown events).</summary>
    public string Name(ReadOnlySpan<byte> payload) =>
        NameLength == 0 ? "" : System.Text.Encoding.UTF8.GetString(payload.Slice(NameStart, NameLength));
}
