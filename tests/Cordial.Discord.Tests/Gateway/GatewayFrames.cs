using System.Globalization;
using System.Text.Json;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>Gateway payloads as Discord writes them, for tests and the fake server.</summary>
internal static class GatewayFrames
{
    public static string Hello(int intervalMs) =>
        """{"op":10,"d":{"heartbeat_interval":""" + N(intervalMs) + """},"s":null,"t":null}""";

    public static string Ready(int sequence, string sessionId, string resumeUrl, ulong userId = 900) =>
        """{"op":0,"s":""" + N(sequence) + ""","t":"READY","d":{"v":10,"user":{"id":""" + S(userId) + ""","username":"Cordial","bot":true},"guilds":[{"id":"1000","unavailable":true}],"session_id":"""
        + JsonSerializer.Serialize(sessionId) + ""","resume_gateway_url":""" + JsonSerializer.Serialize(resumeUrl) + ""","application":{"id":""" + S(userId) + ""","flags":0}}}""";

    public static string Resumed(int sequence) => """{"op":0,"s":""" + N(sequence) + ""","t":"RESUMED","d":null}""";

    public static string MessageCreate(int sequence, ulong id, ulong channelId, string content) =>
        """{"t":"MESSAGE_CREATE","s":""" + N(sequence) + ""","op":0,"d":{"type":0,"tts":false,"timestamp":"2026-11-21T12:00:00.000000+00:00","pinned":false,"mentions":[],"mention_roles":[],"mention_everyone":false,"member":{"roles":[],"joined_at":"2026-01-01T00:00:00.000000+00:00"},"id":"""
        + S(id) + ""","flags":0,"embeds":[],"edited_timestamp":null,"content":""" + JsonSerializer.Serialize(content) + ""","channel_id":""" + S(channelId)
        + ""","author":{"username":"Nelly","id":"80351110224678912","global_name":"Nelly","discriminator":"0","avatar":null},"attachments":[],"guild_id":"1000"}}""";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string S(ulong value) => "\"" + value.ToString(CultureInfo.InvariantCulture) + "\"";
}
