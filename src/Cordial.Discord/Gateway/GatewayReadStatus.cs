namespace Cordial.Discord.Gateway;

/// <summary>Outcome of feeding one WebSocket frame to <see cref="GatewayMessageReader"/>.</summary>
internal enum GatewayReadStatus
{
    /// <summary>The payload is not complete yet.</summary>
    NeedMore = 0,

    /// <summary><see cref="GatewayMessageReader.Payload"/> holds one complete JSON payload.</summary>
    Payload = 1,

    /// <summary>This payload was unusable and dropped; the connection can go on (see <see cref="GatewayMessageReader.Error"/>).</summary>
    Skipped = 2,

    /// <summary>The stream is broken (corrupt zlib data): the connection must be replaced, then resumed.</summary>
    Broken = 3,
}
