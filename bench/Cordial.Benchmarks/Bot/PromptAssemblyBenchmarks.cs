using BenchmarkDotNet.Attributes;
using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Summaries;
using Microsoft.Extensions.AI;

namespace Cordial.Benchmarks.Bot;

/// <summary>
/// Assembling the prompt of a 25-message conversation whose nodes are cached, as MessageResponder does it: system
/// prompt, its token estimate, the conversation walked and budgeted (stored token counts summed), chat messages built
/// (target: at most 20 µs). "Trimmed" cuts the same conversation to a budget and puts a stored summary in front.
/// Run: dotnet run -c Release --project bench/Cordial.Benchmarks -- --filter *PromptAssembly* --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class PromptAssemblyBenchmarks
{
    private const ulong BotId = 999;
    private static readonly ChannelInfo Channel = new(10, ChannelKind.GuildText, GuildId: 1) { Name = "general", GuildName = "Bench Guild" };

    private readonly ModelChoice _model = new("sim-small", Vision: false);
    private readonly PromptContext _context = new(Channel, "ana");
    private ConversationBuilder _whole = null!;
    private ConversationBuilder _trimmed = null!;
    private PromptBuilder _prompts = null!;
    private MessageNode _newest = null!;

    [GlobalSetup]
    public void Setup()
    {
        var store = new CachedMessageNodeStore(new InMemoryNodeStore());
        var nodes = new List<MessageNode>();
        ulong? parent = null;
        for (var i = 0; i < 25; i++)
        {
            var user = i % 2 == 0;
            var text = user
                ? $"Question {i}: how would you structure a small service that reads events from a queue, retries failures and reports metrics?"
                : $"Answer {i}: keep one reader loop, hand each event to a bounded channel, retry with jittered backoff, and count successes, failures and latency in a histogram.";
            var node = new MessageNode
            {
                Id = 1_000 + (ulong)i,
                ChannelId = Channel.Id,
                GuildId = Channel.GuildId,
                AuthorId = user ? 7UL : BotId,
                AuthorName = user ? "ana" : "Cordial",
                Role = user ? NodeRole.User : NodeRole.Assistant,
                Text = text,
                TokenCount = TokenEstimator.Estimate(text),
                ParentId = parent,
                CreatedAt = DateTimeOffset.UnixEpoch,
            };
            nodes.Add(node);
            parent = node.Id;
        }

        store.PutAsync(nodes, CancellationToken.None).GetAwaiter().GetResult();
        _newest = nodes[^1];

        var discord = new NoDiscord();
        var activity = new ChannelActivity();
        var parents = new ParentResolver(store, discord, activity);
        var whole = new ConversationOptions();
        _whole = new ConversationBuilder(store, discord, parents, new MessageNodeFactory(discord, whole), whole);

        // Trimmed: half the conversation fits; a summary ends exactly where the kept part begins.
        var trimmed = new ConversationOptions { MaxPromptTokens = 700 };
        var summaries = new CachedSummaryStore(new InMemorySummaryStore());
        _trimmed = new ConversationBuilder(store, discord, parents, new MessageNodeFactory(discord, trimmed), trimmed, summaries);
        _prompts = new PromptBuilder(new PromptOptions(), TimeProvider.System);
        var probe = _trimmed.BuildAsync(_newest, Channel, BotId, _model, SystemTokens(), CancellationToken.None).GetAwaiter().GetResult();
        var cut = probe.Nodes[0].ParentId!.Value;
        summaries.PutAsync(new ConversationSummary(cut, "Ana is designing a queue reader service; retries and metrics were discussed.", 20, "sim-small", DateTimeOffset.UnixEpoch), CancellationToken.None)
            .GetAwaiter().GetResult();
        var check = _trimmed.BuildAsync(_newest, Channel, BotId, _model, SystemTokens(), CancellationToken.None).GetAwaiter().GetResult();
        if (check.Summary is null || _whole.BuildAsync(_newest, Channel, BotId, _model, SystemTokens(), CancellationToken.None).GetAwaiter().GetResult().Nodes.Count != 25)
        {
            throw new InvalidOperationException("The benchmark's conversations are not what they should be.");
        }
    }

    private int SystemTokens() => TokenEstimator.Estimate(_prompts.SystemPrompt(_context));

    [Benchmark(Baseline = true)]
    public Task<List<ChatMessage>> Assemble25Messages() => AssembleAsync(_whole);

    [Benchmark]
    public Task<List<ChatMessage>> Assemble25MessagesTrimmedWithSummary() => AssembleAsync(_trimmed);

    [Benchmark]
    public int EstimateTokensOfOneMessage() => TokenEstimator.Estimate(_newest.Text);

    private async Task<List<ChatMessage>> AssembleAsync(ConversationBuilder builder)
    {
        var system = _prompts.SystemPrompt(_context);
        var conversation = await builder.BuildAsync(_newest, Channel, BotId, _model, TokenEstimator.Estimate(system), CancellationToken.None);
        return _prompts.Build(conversation, _context, system);
    }
}
