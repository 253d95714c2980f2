using Cordial.Discord.Rest;

namespace Cordial.Discord.Tests.Rest;

public sealed class RouteTests
{
    [Fact]
    public void Path_template_and_major_parameter_come_from_one_interpolated_string()
    {
        ulong channel = 41, message = 42;

        var route = Route.Create(HttpMethod.Patch, $"channels/{channel}/messages/{message}");

        Assert.Equal("channels/41/messages/42", route.Path);
        Assert.Equal("channels/{0}/messages/{1}", route.Template);
        Assert.Equal("41", route.Key.Major);
        Assert.Equal("PATCH /channels/{0}/messages/{1}", route.ToString());
        Assert.True(route.IsIdempotent);
    }

    [Fact]
    public void Different_messages_in_one_channel_share_a_key_and_channels_do_not()
    {
        ulong a = 1, b = 2;
        Assert.Equal(Route.Create(HttpMethod.Patch, $"channels/{a}/messages/{a}").Key, Route.Create(HttpMethod.Patch, $"channels/{a}/messages/{b}").Key);
        Assert.NotEqual(Route.Create(HttpMethod.Patch, $"channels/{a}/messages/{a}").Key, Route.Create(HttpMethod.Patch, $"channels/{b}/messages/{a}").Key);
        Assert.NotEqual(Route.Create(HttpMethod.Patch, $"channels/{a}/messages/{a}").Key, Route.Create(HttpMethod.Delete, $"channels/{a}/messages/{a}").Key);
    }

    [Fact]
    public void Webhook_routes_are_keyed_by_id_and_token_and_never_print_the_token()
    {
        ulong app = 5;
        var token = "s3cret";

        var route = Route.Create(HttpMethod.Post, $"webhooks/{app}/{token}");

        Assert.True(route.UsesWebhookToken);
        Assert.Equal("5/s3cret", route.Key.Major);
        Assert.DoesNotContain(token, route.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, route.Key.ToString(), StringComparison.Ordinal);
        Assert.False(route.IsIdempotent);
    }
}
