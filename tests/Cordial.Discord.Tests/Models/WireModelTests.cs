using System.Text.Json;
using Cordial.Discord.Models;

namespace Cordial.Discord.Tests.Models;

public sealed class WireModelTests
{
    [Fact]
    public void Snowflakes_are_read_from_strings_or_numbers_and_written_as_strings()
    {
        const string json = """{"id":"175928847299117063","channel_id":41771983423143937,"content":"hi","timestamp":"2026-01-01T00:00:00+00:00","mentions":[{"id":"80351110224678912","username":"Nelly"}],"mention_roles":["41771983423143936"]}""";

        var message = JsonSerializer.Deserialize(json, DiscordJsonContext.Default.JsonMessage)!;

        Assert.Equal(175928847299117063UL, message.Id);
        Assert.Equal(41771983423143937UL, message.ChannelId);
        Assert.Equal(80351110224678912UL, message.Mentions[0].Id);
        Assert.Equal([41771983423143936UL], message.MentionRoles);

        var written = JsonSerializer.Serialize(message, DiscordJsonContext.Default.JsonMessage);
        Assert.Contains("\"id\":\"175928847299117063\"", written, StringComparison.Ordinal);
        Assert.Contains("\"channel_id\":\"41771983423143937\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"guild_id\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Snowflake_timestamp_round_trips_to_the_millisecond()
    {
        Assert.Equal(DateTimeOffset.Parse("2016-04-30T11:18:25.796Z", System.Globalization.CultureInfo.InvariantCulture), Snowflake.GetTimestamp(175928847299117063));
        var t = new DateTimeOffset(2026, 11, 21, 12, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal(t, Snowflake.GetTimestamp(Snowflake.FromTimestamp(t)));
    }

    [Fact]
    public void Allowed_mentions_none_pings_nobody()
    {
        var json = JsonSerializer.Serialize(JsonAllowedMentions.None, DiscordJsonContext.Default.Options);
        Assert.Equal("""{"parse":[],"replied_user":false}""", json);
    }
}
