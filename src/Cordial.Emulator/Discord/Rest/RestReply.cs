using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>What a REST handler answers: a status and an optional JSON body (none for 204).</summary>
internal sealed record RestReply(int Status, JsonNode? Body)
{
    public static RestReply Ok(JsonNode body) => new(200, body);

    public static RestReply Created(JsonNode body) => new(201, body);

    public static RestReply NoContent { get; } = new(204, null);
}
