using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>VOICE_SERVER_UPDATE.</summary>
public sealed record VoiceServerUpdateEvent(int ShardId, JsonVoiceServerUpdate VoiceServer) : GatewayEvent(ShardId);
