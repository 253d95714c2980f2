using System.Threading.Channels;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;

namespace Cordial.Discord.Tests.Gateway;

internal static class GatewayTestClient
{
    public const string Token = "test.token.value";

    public static GatewayClient Create(
        Uri? gateway,
        GatewayCompression compression = GatewayCompression.None,
        GatewayIntents intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages,
        int? shardCount = 1,
        Func<CancellationToken, Task<JsonGatewayBot>>? getGatewayBot = null,
        int eventQueueCapacity = 1024,
        string token = "Bot " + Token) =>
        new(
            new GatewayClientOptions
            {
                Token = token,
                GatewayUrl = gateway,
                Compression = compression,
                Intents = intents,
                ShardCount = shardCount,
                EventQueueCapacity = eventQueueCapacity,
            },
            getGatewayBot,
            random: () => 0.0,
            reconnectStrategy: new ImmediateReconnectStrategy())
        {
            IdentifyInterval = TimeSpan.FromMilliseconds(10),
        };

    /// <summary>Reads events until one of type <typeparamref name="T"/> (others are skipped).</summary>
    public static async Task<T> NextAsync<T>(this ChannelReader<GatewayEvent> events, TimeSpan? timeout = null)
        where T : GatewayEvent
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                if (await events.ReadAsync(cts.Token) is T match)
                {
                    return match;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"No {typeof(T).Name} arrived.");
            throw;
        }
    }
}
