using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class GatewayAddressTests
{
    [Fact]
    public void Adds_version_encoding_and_compression_to_a_bare_url()
    {
        var uri = GatewayAddress.Build(new Uri("wss://gateway.discord.gg"), GatewayCompression.ZlibStream);
        Assert.Equal("wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream", uri.AbsoluteUri);
    }

    [Fact]
    public void Keeps_the_path_and_other_query_parameters_and_replaces_ours()
    {
        var uri = GatewayAddress.Build(new Uri("ws://127.0.0.1:5000/gateway/resume?session=abc&v=9&compress=x"), GatewayCompression.None);
        Assert.Equal("ws://127.0.0.1:5000/gateway/resume?session=abc&v=10&encoding=json", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ws://evil.example.com/")]
    [InlineData("http://127.0.0.1/")]
    public void Unusable_urls_from_discord_are_refused(string? url) => Assert.Null(GatewayAddress.TryParse(url));
}
