using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>VOICE_STATE_UPDATE.</summary>
public sealed record VoiceStateUpdateEvent(int ShardId, JsonVoiceState VoiceState) : GatewayEvent(ShardId);
