namespace Cordial.Discord.Gateway;

/// <summary>How the gateway connection is encoded on the wire (always JSON inside).</summary>
public enum GatewayCompression
{
    /// <summary>Plain JSON text frames.</summary>
    None = 0,

    /// <summary>
    /// Transport compression <c>compress=zlib-stream</c>: one zlib context for the whole connection, each payload ends
    /// with the sync-flush suffix 00 00 FF FF. Saves most of the bandwidth of large GUILD_CREATE payloads.
    /// </summary>
    ZlibStream = 1,
}
