using Cordial.Adapters;
using Cordial.Bot.Commands;
using Cordial.Bot.Conversations;
using Cordial.Bot.Diagnostics;
using Cordial.Bot.Responding;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// What the bot does with each gateway event. Cache events (READY, GUILD_CREATE, CHANNEL_*, THREAD_*) are applied
/// in the read loop (<see cref="ApplyToCache"/>: in memory, instant) so a message is never handled before the channel
/// it arrived in is known; messages and interactions are handled by <see cref="HandleAsync"/> on the pump's workers.
/// </summary>
internal sealed partial class GatewayEventDispatcher(
    BotIdentity identity,
    ChannelDirectory channels,
    ChannelActivity activity,
    IMessageNodeStore store,
    MessageNodeUpdater edits,
    MessageResponder responder,
    CommandHandler commands,
    CommandRegistrar registrar,
    DiscordRestClient rest,
    ILogger<GatewayEventDispatcher> logger,
    BotStats stats)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first READY was received and the commands registration was attempted.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The application id from READY (0 before).</summary>
    public ulong ApplicationId { get; private set; }

    /// <summary>Whether the event must be handled by a worker (false: fully handled by <see cref="ApplyToCache"/>).</summary>
    public static bool NeedsWorker(GatewayEvent gatewayEvent) =>
        gatewayEvent is MessageCreateEvent or InteractionCreateEvent or MessageUpdateEvent or MessageDeleteEvent or ReadyEvent;

    /// <summary>
    /// What must stay in order: a channel's messages are handled one after another. An interaction is its own key (it
    /// needs no order and must be acknowledged within 3 seconds, never behind a channel's messages).
    /// </summary>
    public static ulong PartitionKey(GatewayEvent gatewayEvent) => gatewayEvent switch
    {
        MessageCreateEvent e => e.Message.ChannelId,
        InteractionCreateEvent e => e.Interaction.Id,
        MessageUpdateEvent e => e.Message.ChannelId,
        MessageDeleteEvent e => e.Deletion.ChannelId,
        _ => 0,
    };

    /// <summary>Applies cache-changing events at once (no I/O).</summary>
    public void ApplyToCache(GatewayEvent gatewayEvent)
    {
        var cache = channels.Cache;
        switch (gatewayEvent)
        {
            case ReadyEvent ready:
                identity.UserId = ready.Ready.User.Id;
                identity.Name = string.IsNullOrWhiteSpace(ready.Ready.User.GlobalName) ? ready.Ready.User.Username : ready.Ready.User.GlobalName;
                ApplicationId = ready.Ready.Application.Id != 0 ? ready.Ready.Application.Id : ready.Ready.User.Id;
                Log.Ready(logger, ready.ShardId, ready.Ready.Guilds.Length);
                break;
            case GuildCreateEvent guild:
                cache.AddGuild(guild.Guild);
                foreach (var channel in (guild.Guild.Channels ?? []).Concat(guild.Guild.Threads ?? []))
                {
                    SeedActivity(channel);
                }

                break;
            case ChannelCreateEvent created:
                cache.AddChannel(created.Channel);
                break;
            case ChannelUpdateEvent updated:
                cache.AddChannel(updated.Channel);
                break;
            case ChannelDeleteEvent deleted:
                cache.RemoveChannel(deleted.Channel.Id);
                break;
            case ThreadCreateEvent thread:
                cache.AddChannel(thread.Thread);
                SeedActivity(thread.Thread);
                break;
            case ThreadUpdateEvent thread:
                cache.AddChannel(thread.Thread);
                break;
        }
    }

    /// <summary>
    /// What a full channel object says of the channel's last message becomes the start of its activity record, so the
    /// first message after connecting needs no REST read to find what came before it (nothing, or a stored node).
    /// </summary>
    private void SeedActivity(JsonChannel channel)
    {
        if (channel.HasLastMessageId && channel.Type is not (ChannelType.GuildCategory or ChannelType.GuildForum))
        {
            activity.Seed(channel.Id, channel.LastMessageId);
        }
    }

    /// <summary>Handles a message, interaction, edit, deletion or READY (command registration).</summary>
    public async Task HandleAsync(GatewayEvent gatewayEvent, CancellationToken cancellationToken)
    {
        switch (gatewayEvent)
        {
            case ReadyEvent:
                try
                {
                    await registrar.RegisterOnceAsync(ApplicationId, cancellationToken);
                }
                finally
                {
                    _ready.TrySetResult();
                }

                break;
            case MessageCreateEvent created:
                await OnMessageAsync(created.Message, created.ReceivedTimestamp, cancellationToken);
                break;
            case InteractionCreateEvent interaction:
                await OnInteractionAsync(interaction.Interaction, interaction.ReceivedTimestamp, cancellationToken);
                break;
            case MessageUpdateEvent updated:
                // A user's edit refreshes the stored node (if any); the bot's own edits (every streamed answer) cost nothing.
                if (updated.Message.Author?.Id != identity.UserId)
                {
                    await edits.ApplyAsync(DiscordMessageMapper.ToEdited(updated.Message), identity.UserId, cancellationToken);
                }

                break;
            case MessageDeleteEvent deleted:
                activity.Forget(deleted.Deletion.ChannelId, deleted.Deletion.Id);
                await store.DeleteAsync(deleted.Deletion.Id, cancellationToken);
                break;
        }
    }

    private async Task OnMessageAsync(JsonMessage message, long receivedTimestamp, CancellationToken cancellationToken)
    {
        if (message.Author is null)
        {
            return;
        }

        var channel = await channels.GetAsync(message.ChannelId, message.GuildId, cancellationToken);
        var incoming = DiscordMessageMapper.ToIncoming(message, channel, receivedTimestamp);
        await responder.HandleAsync(incoming, cancellationToken);
    }

    private async Task OnInteractionAsync(JsonInteraction interaction, long receivedTimestamp, CancellationToken cancellationToken)
    {
        var channelId = interaction.ChannelId ?? interaction.Channel?.Id;
        if (channelId is null || string.IsNullOrEmpty(interaction.Token))
        {
            return;
        }

        if (interaction.Channel is { } partial && !channels.Cache.Contains(partial.Id))
        {
            partial.GuildId ??= interaction.GuildId;
            channels.Cache.AddChannel(partial);
        }

        var channel = await channels.GetAsync(channelId.Value, interaction.GuildId, cancellationToken);
        var command = DiscordMessageMapper.ToCommand(interaction, channel);
        if (command is null)
        {
            return;
        }

        var response = new InteractionCommandResponse(rest, interaction, logger, receivedTimestamp, stats);
        await commands.HandleAsync(command, response, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Shard {ShardId} is ready ({Guilds} guilds)")]
        public static partial void Ready(ILogger logger, int shardId, int guilds);
    }
}
