using System.Runtime.CompilerServices;
using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Diagnostics;
using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;
using Cordial.Bot.Prompting;
using Cordial.Bot.Settings;
using Cordial.Bot.Triggers;
using Cordial.Bot.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Responding;

/// <summary>
/// The bot's answer to a message, end to end: trigger → access → conversation node → (one answer per user at a time)
/// → conversation → prompt → model → streamed reply → stored answer. The data flow of DESIGN.md, in one place.
/// </summary>
/// <remarks>Thread-safe. <see cref="HandleAsync"/> returns once the message is recorded; the answer runs in the background.</remarks>
public sealed partial class MessageResponder(
    BotIdentity identity,
    ChannelActivity activity,
    ParentResolver parents,
    MessageNodeFactory nodes,
    ConversationBuilder conversations,
    IMessageNodeStore store,
    IChannelSettingsStore settings,
    PromptBuilder prompts,
    IModelDirectory models,
    IChatClient chat,
    IChannelSurfaces surfaces,
    ReplyStreamerFactory streamers,
    ReplyCoordinator coordinator,
    IUsageStore usage,
    RespondingOptions options,
    TimeProvider timeProvider,
    ILogger<MessageResponder> logger,
    BotStats? stats = null)
{
    /// <summary>
    /// The ChatOptions.AdditionalProperties key carrying the guild id (a ulong) of a request; the same string as
    /// Cordial.Llm's ResponseCachingChatClient.GuildIdProperty (Cordial.Bot does not reference Cordial.Llm).
    /// </summary>
    public const string GuildIdProperty = "cordial.guild_id";

    /// <summary>
    /// The ChatOptions.AdditionalProperties key carrying the user id (a ulong) of a request, for per-user quotas; the
    /// same string as Cordial.Llm's QuotaChatClient.UserIdProperty.
    /// </summary>
    public const string UserIdProperty = "cordial.user_id";

    /// <summary>
    /// The update AdditionalProperties key the LLM pipeline's fallback stage sets (to the model that failed) when another
    /// model answered; the same string as Cordial.Llm's FallbackChatClient.FallbackFromProperty.
    /// </summary>
    public const string FallbackFromProperty = "cordial.fallback_from";

    /// <summary>
    /// The ChatOptions.AdditionalProperties key of the callback (an <see cref="Action"/>) the LLM pipeline's model router
    /// invokes just before the provider call; the same string as Cordial.Llm's ProviderCallProperties.RequestStarted.
    /// </summary>
    public const string RequestStartedProperty = "cordial.request_started";

    /// <summary>
    /// How long past <see cref="RespondingOptions.MaxReplyDuration"/> an answer may take to show its end (what was said
    /// and the reason line) before the attempt itself is stopped, so a stuck Discord call cannot hold a user's slot.
    /// </summary>
    internal static readonly TimeSpan FinalDeliveryGrace = TimeSpan.FromSeconds(30);

    private volatile ResponderRules _rules = ResponderRules.Default;
    private ReplyCoordinator.AttemptAsync? _answer; // one delegate for every reply, made on first use

    /// <summary>Trigger and access rules; replace the whole object to apply a new configuration.</summary>
    public ResponderRules Rules
    {
        get => _rules;
        set => _rules = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Handles a message written in a channel the bot can see (every MESSAGE_CREATE).</summary>
    public async Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var botId = identity.UserId;
        if (message.Author.Id != botId)
        {
            stats?.CountMessageReceived(); // every message but the bot's own
        }

        var rules = _rules;
        var decision = rules.Triggers.Evaluate(message, botId);
        ulong? parentId = null;

        if (!decision.Triggered && !message.Author.IsBot &&
            coordinator.TryGetWaiting(message.ChannelId, message.Author.Id, out var waiting))
        {
            // The same user adds to a question still waiting for its answer: merge, continuing it.
            decision = waiting.Trigger with { OpenThread = false };
            parentId = waiting.Node.Id;
        }

        if (!decision.Triggered)
        {
            activity.Observe(message);
            return;
        }

        var access = rules.Access.Check(message.Author, message.Channel);
        if (access is not (AccessDecision.Allowed or AccessDecision.AllowedAsAdmin))
        {
            activity.Observe(message);
            Log.Refused(logger, message.Id, access);
            return;
        }

        parentId ??= await parents.ResolveAsync(message, botId, isLatest: true, cancellationToken);
        activity.Observe(message);
        var node = await nodes.CreateAsync(message, botId, parentId, cancellationToken);
        await store.PutAsync([node], cancellationToken);

        Log.Triggered(logger, message.Id, decision.Reason);
        Submit(new ReplyRequest(message, node, decision));
    }

    /// <summary>
    /// Answers a prompt given with /chat: a fresh conversation whose first node carries the interaction's id, answered
    /// on <paramref name="surface"/>; replying to the answer later continues it like any conversation.
    /// </summary>
    /// <param name="prompt">The prompt, as a message whose id is the interaction's.</param>
    /// <param name="surface">Where the answer goes (the deferred response, then follow-ups).</param>
    /// <param name="loadingMessageId">
    /// The deferred response's "thinking…" message, if known: remembered at once (empty until the answer fills it), so a
    /// message written after it in the channel continues the answer without reading it from Discord.
    /// </param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    public async Task AnswerCommandAsync(IncomingMessage prompt, IReplySurface surface, ulong? loadingMessageId, CancellationToken cancellationToken)
    {
        var node = await nodes.CreateAsync(prompt, identity.UserId, parentId: null, cancellationToken);
        await store.PutAsync(
            loadingMessageId is { } loading ? [node, AnswerNode(loading, prompt.Channel, "", node.Id, model: null)] : [node],
            cancellationToken);
        Submit(new ReplyRequest(prompt, node, new TriggerDecision(TriggerReason.Mention), surface));
    }

    /// <summary>Hands a request to the coordinator: answered by <see cref="AnswerAsync"/>, stopped outright at the attempt's limit.</summary>
    private void Submit(ReplyRequest request) => coordinator.Submit(request, _answer ??= AnswerAsync, AttemptTimeLimit);

    /// <summary>The longest one attempt may run: the reply's own limit, and the time to show its end.</summary>
    private TimeSpan AttemptTimeLimit => options.MaxReplyDuration + FinalDeliveryGrace;

    /// <summary>
    /// Answers one request within the coordinator's attempt. The model's stream is read for at most MaxReplyDuration
    /// (then the reply ends with what was said and a reason); the attempt's token stops everything
    /// <see cref="FinalDeliveryGrace"/> later. A reply that ends in an exception or runs out of time is counted as
    /// failed, one restarted for a merge or stopped by shutdown is not.
    /// </summary>
    private async Task AnswerAsync(ReplyRequest request, ReplyCoordinator.ReplyAttempt attempt, CancellationToken token)
    {
        try
        {
            // Only what the reply needs from here on: the settings, the conversation and the prompt stay with PrepareAsync,
            // so none of them waits with the reply (seconds, when Discord's global limit is saturated; docs/PERFORMANCE.md).
            var answer = await PrepareAsync(request, attempt, token);
            var observed = new StreamObservations();
            var result = await answer.Streamer.RunAsync(
                GuardVisibility(answer.TakeUpdates(), attempt, observed, token),
                (part, ct) => RememberPartAsync(request, answer.Channel, part, answer.Model, ct),
                token,
                readTimeLimit: options.MaxReplyDuration);
            stats?.CountReply(completed: result.Outcome is ReplyOutcome.Completed or ReplyOutcome.Truncated);
            if (result.Outcome is ReplyOutcome.TimedOut)
            {
                Log.TimedOut(logger, request.Message.Id, options.MaxReplyDuration);
            }

            if (result.MessageIds.Count == 0)
            {
                return; // superseded by a merge before anything was shown, or cancelled
            }

            var channel = answer.Channel;
            await StoreAnswerAsync(request, channel, result, answer.Model, CancellationToken.None);
            await usage.RecordAsync(
                request.Message.Author.Id,
                DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime),
                result.Usage?.InputTokenCount ?? 0,
                result.Usage?.OutputTokenCount ?? 0,
                CancellationToken.None);

            var notes = answer.Warnings.ToList();
            if (observed.FallbackFrom is { } failedModel)
            {
                notes.Insert(0, $"Answered by {result.ModelId ?? "another model"} because {failedModel} was unavailable.");
            }

            if (options.ShowWarnings && notes.Count > 0)
            {
                var warning = "-# ⚠️ " + string.Join(" · ", notes);
                var warningId = await answer.Surface.SendAsync(OutgoingMessage.FromContent(Truncate(warning, 2000), result.MessageIds[^1], silent: true), CancellationToken.None);

                // Stored without text: a reply to the note continues the answer (no REST read, and a note sent as a /chat
                // follow-up, which is no reply, is not mistaken for the start of something else); the model never sees it.
                await store.PutAsync([AnswerNode(warningId, channel, "", result.MessageIds[^1], result.ModelId ?? answer.Model)], CancellationToken.None);
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && token.IsCancellationRequested) || attempt.TimedOut)
        {
            stats?.CountReply(completed: false);
            if (attempt.TimedOut)
            {
                Log.TimedOut(logger, request.Message.Id, AttemptTimeLimit); // not even the end could be shown in time
            }

            throw;
        }
    }

    /// <summary>
    /// Everything before the reply: the channel's settings and model, the conversation, a thread if asked for, the
    /// streamer, and the model's stream (not started until read). Its locals end with it.
    /// </summary>
    private async Task<PreparedAnswer> PrepareAsync(ReplyRequest request, ReplyCoordinator.ReplyAttempt attempt, CancellationToken token)
    {
        var message = request.Message;
        var channel = message.Channel;
        var channelSettings = await SettingsForAsync(channel, token);
        var model = (channelSettings.Model is { } chosen ? models.Find(chosen) : null) ?? models.Resolve(channel);
        var context = new PromptContext(channel, message.Author.Name, channelSettings.Persona);
        var system = prompts.SystemPrompt(context); // budgeted with the history: trimmed to fit, summaries for the rest
        var conversation = await conversations.BuildAsync(request.Node, channel, identity.UserId, model, TokenEstimator.Estimate(system), token);

        ulong? replyTo = request.Surface is null ? message.Id : null;
        if (request.Trigger.OpenThread)
        {
            channel = await surfaces.StartThreadAsync(message, ThreadName(request.Node.Text), token);
            replyTo = null;
        }

        var surface = request.Surface ?? surfaces.For(channel);
        var chatOptions = new ChatOptions { ModelId = model.Name, AdditionalProperties = new() { [UserIdProperty] = message.Author.Id } };
        if (channel.GuildId is { } guildId)
        {
            // Lets pipeline stages (cache bypass, quotas) apply per-guild rules.
            chatOptions.AdditionalProperties[GuildIdProperty] = guildId;
        }

        if (stats is not null && message.ReceivedTimestamp != 0 && !attempt.Deferred)
        {
            // Bot overhead: gateway frame read → provider call (a deliberate wait behind the same user's answer is left out).
            (chatOptions.AdditionalProperties ??= [])[RequestStartedProperty] = stats.RequestStartedCallback(message.ReceivedTimestamp);
        }

        var updates = chat.GetStreamingResponseAsync(prompts.Build(conversation, context, system), chatOptions, token);
        return new PreparedAnswer(channel, surface, model.Name, conversation.Warnings, streamers.Create(surface, replyTo), updates);
    }

    /// <summary>What a reply keeps while it runs: where it goes, the model's name, the conversation's warnings.</summary>
    private sealed class PreparedAnswer(
        ChannelInfo channel, IReplySurface surface, string model, IReadOnlyList<string> warnings, ReplyStreamer streamer, IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        private IAsyncEnumerable<ChatResponseUpdate>? _updates = updates;

        public ChannelInfo Channel { get; } = channel;

        public IReplySurface Surface { get; } = surface;

        public string Model { get; } = model;

        public IReadOnlyList<string> Warnings { get; } = warnings;

        public ReplyStreamer Streamer { get; } = streamer;

        /// <summary>The model's stream, handed over once: the streamer lets go of it (and the prompt it holds) when read.</summary>
        public IAsyncEnumerable<ChatResponseUpdate> TakeUpdates() =>
            Interlocked.Exchange(ref _updates, null) ?? throw new InvalidOperationException("The stream was already taken.");
    }

    /// <summary>
    /// Passes the model's updates through, but before the first visible one asks the coordinator whether this answer
    /// still stands (a newer message may have merged into it); if not, it ends the stream without showing anything.
    /// </summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> GuardVisibility(
        IAsyncEnumerable<ChatResponseUpdate> updates,
        ReplyCoordinator.ReplyAttempt attempt,
        StreamObservations observed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visible = false;
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            if (update.AdditionalProperties?.TryGetValue(FallbackFromProperty, out var from) == true && from is not null)
            {
                observed.FallbackFrom = from.ToString();
            }

            if (!visible && !string.IsNullOrEmpty(update.Text))
            {
                if (!attempt.TryMarkVisible())
                {
                    // A newer message merged in; its restart cancels this attempt's token at once. Wait for that, so the
                    // streamer sees a clean cancellation (not a failure it would have to report).
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                visible = true;
            }

            yield return update;
        }
    }

    /// <summary>
    /// Stores an answer's message from the moment it exists, with what it shows so far: a message written meanwhile that
    /// continues it (the next one in a thread or DM, a reply to it) finds it in the store instead of reading it, and
    /// the message before it, from Discord. <see cref="StoreAnswerAsync"/> replaces it with the final text.
    /// </summary>
    private ValueTask RememberPartAsync(ReplyRequest request, ChannelInfo channel, ReplyPart part, string model, CancellationToken cancellationToken) =>
        new(store.PutAsync([AnswerNode(part.MessageId, channel, part.Text, part.PreviousMessageId ?? request.Node.Id, model)], cancellationToken));

    private async Task StoreAnswerAsync(ReplyRequest request, ChannelInfo channel, ReplyResult result, string model, CancellationToken cancellationToken)
    {
        var parts = result.Parts; // aligned with MessageIds, whatever the mode or length limit
        var answer = new List<MessageNode>(parts.Count);
        var parent = request.Node.Id;
        for (var i = 0; i < parts.Count; i++)
        {
            answer.Add(AnswerNode(result.MessageIds[i], channel, parts[i], parent, result.ModelId ?? model));
            parent = result.MessageIds[i];
        }

        await store.PutAsync(answer, cancellationToken);
    }

    private MessageNode AnswerNode(ulong id, ChannelInfo channel, string text, ulong parentId, string? model) => new()
    {
        Id = id,
        ChannelId = channel.Id,
        GuildId = channel.GuildId,
        AuthorId = identity.UserId,
        AuthorName = identity.Name,
        Role = NodeRole.Assistant,
        Text = text,
        TokenCount = TokenEstimator.Estimate(text),
        ParentId = parentId,
        Model = model,
        CreatedAt = timeProvider.GetUtcNow(),
    };

    private async ValueTask<ChannelSettings> SettingsForAsync(ChannelInfo channel, CancellationToken cancellationToken)
    {
        var own = await settings.GetAsync(channel.Id, cancellationToken);
        if (channel.ParentChannelId is not { } parent || (own.Persona is not null && own.Model is not null))
        {
            return own;
        }

        var inherited = await settings.GetAsync(parent, cancellationToken);
        return new ChannelSettings(own.Persona ?? inherited.Persona, own.Model ?? inherited.Model);
    }

    /// <summary>What the model's stream said about itself, beyond the text.</summary>
    private sealed class StreamObservations
    {
        public string? FallbackFrom { get; set; }
    }

    private static string ThreadName(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "Conversation" : Truncate(line, 90);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Message {MessageId} triggered an answer ({Reason})")]
        public static partial void Triggered(ILogger logger, ulong messageId, TriggerReason reason);

        [LoggerMessage(2, LogLevel.Debug, "Message {MessageId} ignored: {Decision}")]
        public static partial void Refused(ILogger logger, ulong messageId, AccessDecision decision);

        [LoggerMessage(3, LogLevel.Warning, "The answer to message {MessageId} ran past {Limit} (Bot:Responding:MaxReplyDuration) and was stopped")]
        public static partial void TimedOut(ILogger logger, ulong messageId, TimeSpan limit);
    }
}
