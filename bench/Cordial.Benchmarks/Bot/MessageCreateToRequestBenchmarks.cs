using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cordial.Adapters;
using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Settings;
using Cordial.Bot.Usage;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cordial.Benchmarks.Bot;

/// <summary>
/// The bot's side of a message, from the raw MESSAGE_CREATE frame (the bytes the gateway client decodes) to the
/// ChatMessage list and ChatOptions handed to the <see cref="IChatClient"/>. Budget: ≤ 50 µs.
/// </summary>
/// <remarks>
/// The real code path, not a re-composition of it: <see cref="GatewayPayloadReader"/> decodes the frame, the
/// <see cref="ChannelDirectory"/> finds the channel in the <see cref="GuildCache"/>, <see cref="DiscordMessageMapper"/>
/// maps it (these three steps are exactly GatewayEventDispatcher.OnMessageAsync), then the production
/// <see cref="MessageResponder"/> runs trigger → access → parent → node → store → <see cref="ReplyCoordinator"/> (a
/// thread-pool hop, as in production) → channel settings → model → conversation → prompt → the chat client. The chat
/// client captures the request and completes the invocation at once; its stream is empty.
/// <para>
/// The message replies to the bot's last answer in a 10-message conversation whose nodes are in the
/// <see cref="CachedMessageNodeStore"/> (the database behind it is a no-op, as after the first turn nothing is read
/// from it). Each invocation uses the next of <see cref="Frames"/> pre-built frames, each by another user, so no
/// answer merges into a previous one. After the capture the reply's tail (an empty answer delivered to a no-op
/// channel, the answer stored) runs in the background, like in production: its allocations are counted in
/// "allocated" (BenchmarkDotNet counts every thread's), its time is not in the mean.
/// </para>
/// </remarks>
[MemoryDiagnoser]
public class MessageCreateToRequestBenchmarks
{
    private const int Frames = 4096;
    private const int HistoryLength = 10;
    private const ulong BotId = 1300000000000000001;
    private const ulong GuildId = 1200000000000000001;
    private const ulong ChannelId = 1200000000000000010;
    private const ulong FirstHistoryId = 1309000000000000000;
    private const ulong LastAnswerId = FirstHistoryId + HistoryLength - 1;
    private const ulong FirstMessageId = 1309123456789012481;
    private const ulong FirstUserId = 1100000000000000003;

    private readonly CapturingChatClient _chat = new();
    private byte[][] _frames = [];
    private int _next;
    private ReplyCoordinator _coordinator = null!;
    private MessageResponder _responder = null!;
    private ChannelDirectory _channels = null!;
    private DiscordRestClient _rest = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = new byte[Frames][];
        for (var i = 0; i < Frames; i++)
        {
            _frames[i] = Encoding.UTF8.GetBytes(ReplyFrame(i));
        }

        var guilds = new GuildCache(1000);
        guilds.AddChannel(new JsonChannel { Id = ChannelId, Type = ChannelType.GuildText, GuildId = GuildId, Name = "general" });
        _http = new HttpClient();
        _rest = new DiscordRestClient(_http, new RestClientOptions { Token = "never-used" }); // every channel is cached: no REST call
        _channels = new ChannelDirectory(guilds, _rest, NullLogger<ChannelDirectory>.Instance);

        var store = new CachedMessageNodeStore(new NoOpNodeStore());
        var created = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var history = new List<MessageNode>();
        for (var i = 0; i < HistoryLength; i++)
        {
            var bot = i % 2 == 1;
            history.Add(new MessageNode
            {
                Id = FirstHistoryId + (ulong)i,
                ChannelId = ChannelId,
                GuildId = GuildId,
                AuthorId = bot ? BotId : FirstUserId,
                AuthorName = bot ? "Cordial" : "Alice",
                Role = bot ? NodeRole.Assistant : NodeRole.User,
                Text = bot
                    ? "Sync flush ends the current deflate block and aligns the output to a byte boundary, so the receiver can decode everything sent so far."
                    : "and what does the 00 00 FF FF suffix mean in that case?",
                ParentId = i == 0 ? null : FirstHistoryId + (ulong)i - 1,
                Model = bot ? "sim-small" : null,
                CreatedAt = created.AddSeconds(i),
            });
        }

        store.PutAsync(history, CancellationToken.None).GetAwaiter().GetResult();

        var activity = new ChannelActivity();
        var source = new NoMessageSource();
        var conversationOptions = new ConversationOptions();
        var parents = new ParentResolver(store, source, activity);
        var factory = new MessageNodeFactory(new NoAttachments(), conversationOptions);
        _coordinator = new ReplyCoordinator(NullLogger<ReplyCoordinator>.Instance);
        _responder = new MessageResponder(
            new BotIdentity { UserId = BotId, Name = "Cordial" },
            activity,
            parents,
            factory,
            new ConversationBuilder(store, source, parents, factory, conversationOptions),
            store,
            new NoChannelSettings(),
            new PromptBuilder(new PromptOptions(), TimeProvider.System),
            new OneModel(),
            _chat,
            new NoOpSurfaces(),
            new ReplyStreamerFactory(Options.Create(new DeliveryOptions()), TimeProvider.System, NullLogger<ReplyStreamer>.Instance, new GenerationFailureDescriber()),
            _coordinator,
            new InMemoryUsageStore(),
            new RespondingOptions(),
            TimeProvider.System,
            NullLogger<MessageResponder>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _coordinator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rest.Dispose();
        _http.Dispose();
    }

    /// <summary>Frame bytes in, prompt messages counted out (the request the model would receive).</summary>
    [Benchmark]
    public async Task<int> FrameToRequest()
    {
        var frame = _frames[_next++ & (Frames - 1)];
        var captured = new TaskCompletionSource<int>();
        _chat.Next = captured;
        if (!GatewayPayloadReader.TryRead(frame, 0, out _, out var evt, out _, out _) || evt is not MessageCreateEvent created)
        {
            throw new InvalidOperationException("The sample frame did not decode as MESSAGE_CREATE.");
        }

        var message = created.Message;
        var channel = await _channels.GetAsync(message.ChannelId, message.GuildId, CancellationToken.None);
        await _responder.HandleAsync(DiscordMessageMapper.ToIncoming(message, channel), CancellationToken.None);
        return await captured.Task;
    }

    /// <summary>A guild reply to the bot's last answer, mentioning it, as Discord sends it (about 2.3 KB).</summary>
    private static string ReplyFrame(int index)
    {
        var id = (FirstMessageId + (ulong)index).ToString(CultureInfo.InvariantCulture);
        var author = (FirstUserId + (ulong)index).ToString(CultureInfo.InvariantCulture);
        var sequence = (index + 1).ToString(CultureInfo.InvariantCulture);
        var replied = LastAnswerId.ToString(CultureInfo.InvariantCulture);
        return """{"t":"MESSAGE_CREATE","s":""" + sequence + ""","op":0,"d":{"type":19,"tts":false,"timestamp":"2026-11-21T12:00:00.123000+00:00","referenced_message":{"type":0,"tts":false,"timestamp":"2026-11-21T11:59:50.000000+00:00","pinned":false,"mentions":[],"mention_roles":[],"mention_everyone":false,"id":""" + "\"" + replied + "\"" + ""","flags":0,"embeds":[],"edited_timestamp":"2026-11-21T11:59:52.000000+00:00","content":"Sync flush ends the current deflate block and aligns the output to a byte boundary, so the receiver can decode everything sent so far.","components":[],"channel_id":"1200000000000000010","author":{"username":"Cordial","public_flags":0,"id":"1300000000000000001","global_name":null,"discriminator":"0000","bot":true,"avatar":"abcdef0123456789abcdef0123456789"},"attachments":[]},"pinned":false,"nonce":"1309123456789012480","message_reference":{"type":0,"message_id":""" + "\"" + replied + "\"" + ""","channel_id":"1200000000000000010","guild_id":"1200000000000000001"},"mentions":[{"username":"Cordial","public_flags":0,"primary_guild":null,"member":{"roles":[],"premium_since":null,"pending":false,"nick":null,"mute":false,"joined_at":"2026-01-01T00:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null},"id":"1300000000000000001","global_name":null,"discriminator":"0000","clan":null,"bot":true,"avatar_decoration_data":null,"avatar":"abcdef0123456789abcdef0123456789"}],"mention_roles":[],"mention_everyone":false,"member":{"roles":["1200000000000000002"],"premium_since":null,"pending":false,"nick":"Al","mute":false,"joined_at":"2025-06-01T10:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null},"id":""" + "\"" + id + "\"" + ""","flags":0,"embeds":[],"edited_timestamp":null,"content":"<@1300000000000000001> and why does the receiver not need to know where the blocks end?","components":[],"channel_type":0,"channel_id":"1200000000000000010","author":{"username":"alice","public_flags":0,"primary_guild":null,"id":""" + "\"" + author + "\"" + ""","global_name":"Alice","discriminator":"0","clan":null,"avatar_decoration_data":null,"avatar":"0123456789abcdef0123456789abcdef"},"attachments":[],"guild_id":"1200000000000000001"}}""";
    }

    /// <summary>The provider seam: records the request's size, completes the invocation, answers with an empty stream.</summary>
    private sealed class CapturingChatClient : IChatClient
    {
        public TaskCompletionSource<int>? Next { get; set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The bot streams its answers.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var count = messages is IReadOnlyCollection<ChatMessage> list ? list.Count : messages.Count();
            Next?.TrySetResult(options?.ModelId is null ? -count : count);
            return AsyncEnumerable.Empty<ChatResponseUpdate>();
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class NoOpNodeStore : IMessageNodeStore
    {
        public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken) => ValueTask.FromResult<MessageNode?>(null);

        public Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeleteAsync(ulong messageId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) => ValueTask.FromResult(0UL);

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
    }

    private sealed class NoMessageSource : IMessageSource
    {
        public Task<IncomingMessage?> GetMessageAsync(ChannelInfo channel, ulong messageId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The conversation should come from the node cache.");

        public Task<IncomingMessage?> GetMessageBeforeAsync(ChannelInfo channel, ulong beforeMessageId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The conversation should come from the node cache.");
    }

    private sealed class NoAttachments : IAttachmentReader
    {
        public Task<string?> ReadTextAsync(IncomingAttachment attachment, int maxBytes, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    private sealed class NoChannelSettings : IChannelSettingsStore
    {
        public ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken) => ValueTask.FromResult(ChannelSettings.Empty);

        public Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class OneModel : IModelDirectory
    {
        private static readonly ModelChoice Model = new("sim-small", Vision: false);

        public IReadOnlyList<string> ModelNames { get; } = ["sim-small"];

        public ModelChoice Resolve(ChannelInfo channel) => Model;

        public ModelChoice? Find(string name) => name == Model.Name ? Model : null;
    }

    private sealed class NoOpSurfaces : IChannelSurfaces
    {
        private readonly Surface _surface = new();

        public IReplySurface For(ChannelInfo channel) => _surface;

        public Task<ChannelInfo> StartThreadAsync(IncomingMessage message, string name, CancellationToken cancellationToken) =>
            Task.FromResult(new ChannelInfo(message.Id, ChannelKind.Thread, message.GuildId, message.ChannelId));

        private sealed class Surface : IReplySurface
        {
            private long _nextId = 1_400_000_000_000_000_000;

            public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken) => ValueTask.FromResult(true);

            public Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
                Task.FromResult((ulong)Interlocked.Increment(ref _nextId));

            public Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
