using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class GatewayClientOptionsTests
{
    private static GatewayClientOptions Valid() => new() { Token = "abc.def.ghi" };

    public static TheoryData<string, Action<GatewayClientOptions>> InvalidSettings => new()
    {
        { "Token", o => o.Token = "" },
        { "Token", o => o.Token = "Bot   " },
        { "Token", o => o.Token = "abc def" },
        { "Intents", o => o.Intents = (GatewayIntents)(1 << 30) },
        { "GatewayUrl", o => o.GatewayUrl = new Uri("ws://gateway.example.com/") },
        { "GatewayUrl", o => o.GatewayUrl = new Uri("https://gateway.discord.gg/") },
        { "ShardCount", o => o.ShardCount = 0 },
        { "FirstShardId", o => o.FirstShardId = -1 },
        { "LastShardId", o => { o.FirstShardId = 3; o.LastShardId = 2; } },
        { "ShardCount", o => { o.ShardCount = 2; o.LastShardId = 2; } },
        { "LargeThreshold", o => o.LargeThreshold = 49 },
        { "LargeThreshold", o => o.LargeThreshold = 251 },
        { "EventQueueCapacity", o => o.EventQueueCapacity = 0 },
        { "MaxPayloadBytes", o => o.MaxPayloadBytes = 100 },
        { "Compression", o => o.Compression = (GatewayCompression)7 },
        { "IdentifyProperties", o => o.IdentifyProperties.Os = "" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_settings_fail_at_construction_naming_the_setting(string setting, Action<GatewayClientOptions> spoil)
    {
        var options = Valid();
        spoil(options);

        var ex = Assert.Throws<ArgumentException>(() => new GatewayClient(options));

        Assert.Contains($"'{setting}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def.ghi", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:5000/gateway")]
    [InlineData("ws://localhost:5000/")]
    [InlineData("ws://[::1]:5000/")]
    [InlineData("wss://gateway.discord.gg")]
    public void Secure_or_loopback_gateway_urls_are_accepted(string url)
    {
        var options = Valid();
        options.GatewayUrl = new Uri(url);
        options.Validate();
    }

    [Theory]
    [InlineData("Bot abc.def", "abc.def")]
    [InlineData("  abc.def ", "abc.def")]
    [InlineData("abc.def", "abc.def")]
    public void The_token_is_used_without_the_Bot_prefix(string configured, string expected) =>
        Assert.Equal(expected, GatewayClientOptions.NormalizedToken(configured));

    [Fact]
    public void Defaults_are_valid_apart_from_the_token()
    {
        Assert.Throws<ArgumentException>(() => new GatewayClientOptions().Validate());
        Valid().Validate();
    }
}
