using System.Collections.Concurrent;
using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Settings;
using Cordial.Bot.Summaries;
using Cordial.Bot.Tests.Conversations;
using Cordial.Bot.Tests.Summaries;
using Cordial.Bot.Triggers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Cordial.Bot.Tests.Delivery;

namespace Cordial.Bot.Tests.Responding;

/// <summary>A MessageResponder wired to in-memory fakes, with the real coordinator, conversation logic and streamer.</summary>
internal sealed class ResponderHarness : IAsyncDisposable
{
    public const ulong BotId = FakeDiscordHistory.BotId;

    public ResponderHarness(RespondingOptions? responding = null, ConversationOptions? conversations = null)
    {
        Coordinator = new ReplyCoordinator(CoordinatorLog);
        var conversationOptions = conversations ?? new ConversationOptions();
        Summarizer = new ConversationSummarizer(Store, Summaries, Chat, conversationOptions, TimeProvider.System, NullLogger<ConversationSummarizer>.Instance);
        var parents = new ParentResolver(Store, Discord, Activity);
        var factory = new MessageNodeFactory(Discord, conversationOptions);
        Responder = new MessageResponder(
            new BotIdentity { UserId = BotId },
            Activity,
            parents,
            factory,
            new ConversationBuilder(Store, Discord, parents, factory, conversationOptions, Summaries, Summarizer),
            Store,
            Settings,
            new PromptBuilder(new PromptOptions { SystemPrompt = "You are a test." }, TimeProvider.System),
            Models,
            Chat,
            Surfaces,
            new ReplyStreamerFactory(Options.Create(new DeliveryOptions()), TimeProvider.System, NullLogger<ReplyStreamer>.Instance, new GenerationFailureDescriber(), Stats),
            Coordinator,
            Usage,
            responding ?? new RespondingOptions(),
            TimeProvider.System,
            ResponderLog,
            Stats);
    }

    public FakeDiscordHistory Discord { get; } = new();
    public InMemoryMessageNodeStore Store { get; } = new();
    public ChannelActivity Activity { get; } = new();
    public InMemorySettings Settings { get; } = new();
    public FixedModels Models { get; } = new();
    public ScriptedChatClient Chat { get; } = new();
    public RecordingSurfaces Surfaces { get; } = new();
    public Cordial.Bot.Usage.InMemoryUsageStore Usage { get; } = new();
    public Cordial.Bot.Diagnostics.BotStats Stats { get; } = new(TimeProvider.System);
    public ReplyCoordinator Coordinator { get; }
    public ListLogger<ReplyCoordinator> CoordinatorLog { get; } = new();
    public ListLogger<MessageResponder> ResponderLog { get; } = new();
    public InMemorySummaryStore Summaries { get; } = new();
    public ConversationSummarizer Summarizer { get; }
    public MessageResponder Responder { get; }

    public void UseRules(TriggerOptions? triggers = null, AccessOptions? access = null) =>
        Responder.Rules = new ResponderRules(new TriggerEvaluator(triggers ?? new TriggerOptions()), new AccessPolicy(access ?? new AccessOptions()));

    /// <summary>A user writes a message (it is recorded as Discord would) and the bot receives it.</summary>
    public async Task<IncomingMessage> SayAsync(ChannelInfo channel, ulong author, string content, bool mention = false, ulong? replyTo = null, ulong? replyToAuthor = null)
    {
        var message = Discord.Say(channel, author, content, replyTo, mention) with { ReplyToAuthorId = replyToAuthor };
        await Responder.HandleAsync(message, TestContext.Current.CancellationToken);
        return message;
    }

    public Task IdleAsync() => Eventually.UntilAsync(() => Coordinator.ActiveSlots == 0, "all answers to finish");

    public async ValueTask DisposeAsync()
    {
        await Coordinator.DisposeAsync();
        await Summarizer.DisposeAsync();
    }

    internal sealed class InMemorySettings : IChannelSettingsStore
    {
        public ConcurrentDictionary<ulong, ChannelSettings> Values { get; } = new();

        public ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Values.GetValueOrDefault(channelId, ChannelSettings.Empty));

        public Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
        {
            Values[channelId] = settings;
            return Task.CompletedTask;
        }
    }

    internal sealed class FixedModels : IModelDirectory
    {
        public IReadOnlyList<string> ModelNames { get; } = ["sim-small", "sim-vision"];

        public ModelChoice Resolve(ChannelInfo channel) => new("sim-small", false);

        public ModelChoice? Find(string name) => ModelNames.Contains(name) ? new ModelChoice(name, name == "sim-vision") : null;
    }
}
