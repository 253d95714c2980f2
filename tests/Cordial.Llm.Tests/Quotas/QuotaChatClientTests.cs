using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Fallback;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Quotas;
using Cordial.Llm.Resilience;
using Cordial.Llm.Tests.Caching;
using Cordial.Llm.Tests.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Quotas;

public sealed class QuotaChatClientTests
{
    private static readonly LlmResilienceOptions NoRetry = new() { MaxRetries = 0 };
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private static ChatOptions From(ulong user, ulong? guild = null, string? model = null)
    {
        var options = new ChatOptions { ModelId = model, AdditionalProperties = new() { [QuotaChatClient.UserIdProperty] = user } };
        if (guild is { } g)
        {
            options.AdditionalProperties[ResponseCachingChatClient.GuildIdProperty] = g;
        }

        return options;
    }

    private static List<ChatMessage> Ask(string text) => [new(ChatRole.User, text)];

    private QuotaLedger Ledger(Action<QuotaOptions> configure)
    {
        var options = new QuotaOptions();
        configure(options);
        return new QuotaLedger(options, _time);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_request_never_reaches_the_provider_and_says_which_limit_and_when(bool streaming)
    {
        var inner = new FakeChatClient { Respond = (_, _, _, _) => CacheTestStreams.Stop("hi") };
        using var client = new QuotaChatClient(inner, Ledger(o => o.User.RequestsPerMinute = 1));

        await ChatRun.AskAsync(client, streaming, Ask("one"), From(1));
        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("two"), From(1)));

        Assert.Equal(1, inner.Calls);
        Assert.Equal(LlmFailureKind.QuotaExceeded, error.Kind);
        Assert.Equal(QuotaScope.User, error.QuotaScope);
        Assert.Equal(QuotaLimit.RequestsPerMinute, error.QuotaLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.False(error.IsTransient);

        await ChatRun.AskAsync(client, streaming, Ask("three"), From(2)); // another user
        await ChatRun.AskAsync(client, streaming, Ask("four")); // no identity: not limited
        _time.Advance(error.RetryAfter!.Value);
        await ChatRun.AskAsync(client, streaming, Ask("five"), From(1));
        Assert.Equal(4, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tokens_reported_by_the_answer_are_charged_to_user_and_guild(bool streaming)
    {
        var inner = new FakeChatClient { Respond = (_, _, _, _) => CacheTestStreams.Answer("m", ChatFinishReason.Stop, 700, 300, "long answer") };
        var ledger = Ledger(o =>
        {
            o.User.TokensPerDay = 1500;
            o.Guild.TokensPerDay = 2500;
        });
        using var client = new QuotaChatClient(inner, ledger);

        await ChatRun.AskAsync(client, streaming, Ask("a"), From(1, 10));
        Assert.Equal(500, ledger.GetAllowance(1).TokensLeftToday);
        await ChatRun.AskAsync(client, streaming, Ask("b"), From(1, 10)); // 500 left: allowed, then overshoots
        var user = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("c"), From(1, 10)));
        Assert.Equal(QuotaScope.User, user.QuotaScope);
        Assert.Equal(QuotaLimit.TokensPerDay, user.QuotaLimit);

        await ChatRun.AskAsync(client, streaming, Ask("d"), From(2, 10)); // the guild has 500 left
        var guild = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("e"), From(3, 10)));
        Assert.Equal(QuotaScope.Guild, guild.QuotaScope);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task A_stream_the_caller_abandons_still_charges_what_was_reported()
    {
        var inner = new FakeChatClient
        {
            Respond = (_, _, _, _) => FakeStreams.Updates(
                new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { TotalTokenCount = 80 })]),
                new ChatResponseUpdate(ChatRole.Assistant, "more")),
        };
        var ledger = Ledger(o => o.User.TokensPerDay = 100);
        using var client = new QuotaChatClient(inner, ledger);

        await foreach (var update in client.GetStreamingResponseAsync(Ask("a"), From(1), TestContext.Current.CancellationToken))
        {
            break;
        }

        Assert.Equal(20, ledger.GetAllowance(1).TokensLeftToday);
    }

    [Fact]
    public async Task A_refusal_is_decided_before_coalescing_so_it_stays_with_its_user_and_other_users_share_the_call()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeChatClient { Respond = (_, _, _, token) => CacheTestStreams.Gated(gate.Task, "a", ["b"], cancellationToken: token) };
        var ledger = Ledger(o => o.User.RequestsPerMinute = 1);
        using var client = new ChatPipelineBuilder(inner).UseQuota(ledger).UseCoalescing().Build();
        var ct = TestContext.Current.CancellationToken;
        Assert.True(ledger.TryAcquire(1, null, out _)); // user 1 has used this minute's request

        await using var second = client.GetStreamingResponseAsync(Ask("same"), From(2), ct).GetAsyncEnumerator(ct);
        Assert.True(await second.MoveNextAsync()); // user 2's call is in flight
        var refused = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true, Ask("same"), From(1)).WaitAsync(TimeSpan.FromSeconds(30), ct));
        var joined = Task.Run(() => ChatRun.AskAsync(client, true, Ask("same"), From(3)), ct); // a user with room joins
        await Eventually.UntilAsync(() => client.GetService<CoalescingChatClient>()!.WaiterCount == 2, "user 3's request joined user 2's call");
        gate.SetResult();
        while (await second.MoveNextAsync())
        {
        }

        Assert.Equal(QuotaScope.User, refused.QuotaScope);
        Assert.Equal("ab", (await joined).Response.Text);
        Assert.Equal(1, inner.Calls);
    }

    private sealed class Models
    {
        public FakeChatClient A { get; } = new() { Respond = (_, _, _, _) => CacheTestStreams.Stop("from a") };

        public FakeChatClient B { get; } = new() { Respond = (_, _, _, _) => CacheTestStreams.Stop("from b") };

        public ModelRouting Routing => new(
            model => model ?? "a",
            model => model == "a" ? "p1" : "p2",
            model => model == "a" ? ["b"] : [],
            model => model == "a" ? (A, "a-id") : (B, "b-id"));
    }

    private static ServiceProvider Services(QuotaLedger ledger) => new ServiceCollection().AddSingleton(ledger).BuildServiceProvider();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cache_hit_costs_no_quota_in_the_real_pipeline(bool streaming)
    {
        var models = new Models();
        var ledger = Ledger(o => o.User.RequestsPerMinute = 1);
        using var services = Services(ledger);
        using var client = LlmPipelineFactory.Create(models.Routing, services, NoRetry);

        var (first, _) = await ChatRun.AskAsync(client, streaming, Ask("same question"), From(1));
        var (second, _) = await ChatRun.AskAsync(client, streaming, Ask("same question"), From(1));
        var (third, _) = await ChatRun.AskAsync(client, streaming, Ask("same question"), From(1));

        var (otherUser, _) = await ChatRun.AskAsync(client, streaming, Ask("same question"), From(2)); // who asks is not part of the key

        Assert.Equal("from a", third.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, otherUser.Text);
        Assert.Equal(1, models.A.Calls);
        Assert.Equal(1, ledger.GetAllowance(2).RequestsLeftThisMinute);
        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("another question"), From(1)));
        Assert.Equal(LlmFailureKind.QuotaExceeded, error.Kind);
        Assert.Equal(1, models.A.Calls);
        Assert.Same(ledger, client.GetService<QuotaChatClient>()!.Ledger);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_provider_out_of_quota_lets_the_fallback_model_on_another_provider_answer_without_retries(bool streaming)
    {
        var models = new Models();
        var ledger = Ledger(o =>
        {
            o.Providers["p1"] = new QuotaLimits { RequestsPerMinute = 1 };
            o.Providers["p2"] = new QuotaLimits { RequestsPerMinute = 1 };
        });
        using var services = Services(ledger);
        using var client = LlmPipelineFactory.Create(models.Routing, services, new LlmResilienceOptions { MaxRetries = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });

        var (first, _) = await ChatRun.AskAsync(client, streaming, Ask("one"));
        var (second, _) = await ChatRun.AskAsync(client, streaming, Ask("two"));
        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("three")));

        Assert.Equal("from a", first.Text);
        Assert.Equal("from b", second.Text);
        Assert.Equal("a", second.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]);
        Assert.Equal(LlmFailureKind.QuotaExceeded, error.Kind);
        Assert.Equal(QuotaScope.Provider, error.QuotaScope);
        Assert.Equal("p2", error.Provider);
        Assert.Equal((1, 1), (models.A.Calls, models.B.Calls));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_question_no_provider_had_room_for_is_given_back_to_the_user_and_guild(bool streaming)
    {
        var models = new Models();
        var ledger = Ledger(o =>
        {
            o.User.RequestsPerMinute = 3;
            o.Guild.RequestsPerDay = 10;
            o.Provider.RequestsPerMinute = 1;
        });
        using var services = Services(ledger);
        using var client = LlmPipelineFactory.Create(models.Routing, services, NoRetry);

        await ChatRun.AskAsync(client, streaming, Ask("one"), From(1, 5));
        await ChatRun.AskAsync(client, streaming, Ask("two"), From(1, 5)); // the fallback's provider
        var refused = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("three"), From(1, 5)));

        Assert.Equal(QuotaScope.Provider, refused.QuotaScope);
        Assert.Equal(1, ledger.GetAllowance(1).RequestsLeftThisMinute);
        Assert.Equal(8, ledger.GetAllowance(1, 5).RequestsLeftToday);
    }

    [Fact]
    public void Settings_bind_from_configuration_and_the_ledger_is_shared()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Quotas:User:RequestsPerMinute"] = "4",
            ["Llm:Quotas:Guild:RequestsPerDay"] = "1000",
            ["Llm:Providers:openai:Kind"] = "openai",
            ["Llm:Providers:openai:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Llm:Models:m:Provider"] = "openai",
            ["Llm:Models:m:ModelId"] = "x",
            ["Llm:Quotas:Providers:openai:TokensPerMinute"] = "90000",
            ["Llm:Quotas:AdminUserIds:0"] = "1234567890123456789",
        }).Build();
        using var services = new ServiceCollection().AddCordialLlm(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<QuotaOptions>>().Value;
        Assert.Equal(4, options.User.RequestsPerMinute);
        Assert.Equal(1000, options.Guild.RequestsPerDay);
        Assert.Equal(90000, options.Providers["OpenAI"].TokensPerMinute);
        var ledger = services.GetRequiredService<QuotaLedger>();
        Assert.True(ledger.IsAdmin(1234567890123456789));
        Assert.Equal(4, ledger.GetAllowance(1).RequestsLeftThisMinute);
        Assert.Same(ledger, services.GetRequiredService<QuotaLedger>());

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Providers:openai:Kind"] = "openai",
            ["Llm:Providers:openai:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Llm:Models:m:Provider"] = "openai",
            ["Llm:Models:m:ModelId"] = "x",
            ["Llm:Quotas:Guild:RequestsPerMinute"] = "-3",
            ["Llm:Quotas:Providers:OpenAI:RequestsPerMinute"] = "10",
            ["Llm:Quotas:Providers:opnai:RequestsPerMinute"] = "10",
        }).Build();
        using var badServices = new ServiceCollection().AddCordialLlm(bad).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<QuotaOptions>>().Value);
        Assert.Contains("Llm:Quotas:Guild:RequestsPerMinute", error.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:Quotas:Providers:opnai names no provider", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Providers:OpenAI", error.Message, StringComparison.Ordinal);
    }
}
