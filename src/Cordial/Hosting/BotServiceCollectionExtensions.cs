using System.Data.Common;
using Cordial.Adapters;
using Cordial.Bot.Commands;
using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Settings;
using Cordial.Bot.Summaries;
using Cordial.Bot.Usage;
using Cordial.Configuration;
using Cordial.Discord.Gateway;
using Cordial.Discord.Rest;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Quotas;
using Cordial.Storage;
using Cordial.Storage.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>Registers the whole running bot: storage, Discord client, LLM pipeline, the bot's brain and its wiring.</summary>
internal static class BotServiceCollectionExtensions
{
    private const string AttachmentHttp = "attachments";

    /// <param name="services">The host's services.</param>
    /// <param name="settings">Validated settings (connection settings are read once, here).</param>
    /// <param name="configuration">The configuration root (watched for Bot:* reloads; binds Delivery and Llm).</param>
    /// <param name="contentRoot">Where relative storage paths resolve.</param>
    public static IServiceCollection AddCordialBot(this IServiceCollection services, CordialSettings settings, IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Discord);
        services.AddSingleton(settings.Conversations);
        services.AddSingleton(settings.Prompt);
        services.AddSingleton(settings.Responding);
        services.AddSingleton(settings.Storage);

        // Storage: one data source; the node store fronted by its cache and written behind.
        services.AddSingleton(_ => new StorageHandle(StorageFactory.CreateDataSource(settings.Storage, contentRoot)));
        services.AddSingleton(sp => new SqlMessageNodeStore(sp.GetRequiredService<StorageHandle>().DataSource, sp.GetRequiredService<StorageHandle>().Dialect));
        services.AddSingleton(sp => new SqlChannelSettingsStore(sp.GetRequiredService<StorageHandle>().DataSource, sp.GetRequiredService<StorageHandle>().Dialect));
        services.AddSingleton(sp => new SqlUsageStore(sp.GetRequiredService<StorageHandle>().DataSource, sp.GetRequiredService<StorageHandle>().Dialect));
        // Node writes leave the message → model request path: written behind, in batches (disposal writes the rest).
        services.AddSingleton(sp => new WriteBehindMessageNodeStore(sp.GetRequiredService<SqlMessageNodeStore>(), sp.GetRequiredService<ILogger<WriteBehindMessageNodeStore>>()));
        services.AddSingleton<IMessageNodeStore>(sp => new CachedMessageNodeStore(sp.GetRequiredService<WriteBehindMessageNodeStore>(), settings.Storage.NodeCacheBytes, settings.Conversations.MaxMessages));
        services.AddSingleton<IChannelSettingsStore>(sp => new CachedChannelSettingsStore(sp.GetRequiredService<SqlChannelSettingsStore>(), sp.GetRequiredService<TimeProvider>(), logger: sp.GetRequiredService<ILogger<CachedChannelSettingsStore>>()));
        services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<SqlUsageStore>());
        services.AddSingleton(sp => new SqlSummaryStore(sp.GetRequiredService<StorageHandle>().DataSource, sp.GetRequiredService<StorageHandle>().Dialect));
        services.AddSingleton<ISummaryStore>(sp => new CachedSummaryStore(sp.GetRequiredService<SqlSummaryStore>()));

        // Discord.
        services.AddDiscordRest(o =>
        {
            o.BaseAddress = new Uri(settings.Discord.RestBaseUrl);
            o.Token = settings.Discord.Token ?? "";
        });
        services.AddSingleton(sp =>
        {
            var rest = sp.GetRequiredService<DiscordRestClient>();
            return new GatewayClient(
                new GatewayClientOptions
                {
                    Token = settings.Discord.Token ?? "",
                    Intents = settings.Discord.EffectiveIntents,
                    GatewayUrl = string.IsNullOrWhiteSpace(settings.Discord.GatewayUrl) ? null : new Uri(settings.Discord.GatewayUrl),
                    Compression = settings.Discord.Compression,
                    ShardCount = settings.Discord.ShardCount,
                    FirstShardId = settings.Discord.FirstShardId,
                    LastShardId = settings.Discord.LastShardId,
                },
                ct => rest.GetGatewayBotAsync(ct),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(_ => new GuildCache(settings.Discord.ChannelCacheSize));
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<RestMessageSource>();
        services.AddSingleton<IMessageSource>(sp => sp.GetRequiredService<RestMessageSource>());
        services.AddKeyedSingleton(AttachmentHttp, (_, _) => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
        }) { Timeout = TimeSpan.FromSeconds(30) });
        services.AddSingleton<IAttachmentReader>(sp => new HttpAttachmentReader(
            sp.GetRequiredKeyedService<HttpClient>(AttachmentHttp), sp.GetRequiredService<ILogger<HttpAttachmentReader>>()));
        services.AddSingleton<IChannelSurfaces, RestChannelSurfaces>();

        // LLM.
        services.AddCordialLlm(configuration);
        services.AddSingleton<IModelDirectory, CatalogModelDirectory>();
        services.AddSingleton<IQuotaStateStore>(sp => new SqlQuotaStore(sp.GetRequiredService<StorageHandle>().DataSource, sp.GetRequiredService<StorageHandle>().Dialect));
        services.AddSingleton<IQuotaView, LedgerQuotaView>();

        // The bot's brain.
        services.AddSingleton<IGenerationFailureDescriber, LlmFailureDescriber>();
        services.AddSingleton(sp => new Cordial.Bot.Diagnostics.BotStats(sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddReplyDelivery();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton(_ => new ChannelActivity(settings.Conversations.TrackedChannels));
        services.AddSingleton<ParentResolver>();
        services.AddSingleton<MessageNodeFactory>();
        services.AddSingleton<ConversationSummarizer>(); // context budget: summaries of cut turns, made in the background
        services.AddSingleton<ConversationBuilder>();
        services.AddSingleton<MessageNodeUpdater>();
        services.AddSingleton<PromptBuilder>();
        services.AddSingleton<ReplyCoordinator>();
        services.AddSingleton<MessageResponder>();
        services.AddSingleton<CommandHandler>();

        // Wiring.
        services.AddSingleton<CommandRegistrar>();
        services.AddSingleton<GatewayEventDispatcher>();
        services.AddSingleton<SettingsReloader>();
        services.AddSingleton<BotRuntime>();
        services.AddHostedService<BotService>();
        services.AddHousekeeping(settings.Housekeeping);
        return services;
    }

    /// <summary>The database (disposed with the container).</summary>
    internal sealed class StorageHandle((DbDataSource DataSource, SqlDialect Dialect) opened) : IAsyncDisposable
    {
        public DbDataSource DataSource { get; } = opened.DataSource;

        public SqlDialect Dialect { get; } = opened.Dialect;

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
