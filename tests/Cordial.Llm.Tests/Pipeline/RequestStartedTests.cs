using System.Runtime.CompilerServices;
using Cordial.Llm.Caching;
using Cordial.Llm.Tests.Caching;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Resilience;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

/// <summary>The <see cref="ProviderCallProperties.RequestStarted"/> callback: called at the provider hand-off, invisible to providers and caches.</summary>
public sealed class RequestStartedTests
{
    private static ModelRouting Routing(FakeChatClient provider) => new(
        model => model ?? "a",
        _ => "p1",
        _ => [],
        _ => (provider, "provider-a-id"));

    private static ChatOptions OptionsWith(Action started, ulong guild = 42) => new()
    {
        AdditionalProperties = new() { ["cordial.guild_id"] = guild, [ProviderCallProperties.RequestStarted] = started },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task It_is_called_once_before_the_provider_is_read_and_the_provider_never_sees_it(bool streaming)
    {
        var calls = 0;
        var calledAtProviderEntry = -1;
        var calledAtFirstRead = -1;
        var provider = new FakeChatClient();
        provider.Respond = (_, _, _, ct) =>
        {
            calledAtProviderEntry = Volatile.Read(ref calls);
            return FirstRead(() => calledAtFirstRead = Volatile.Read(ref calls), ct);
        };
        using var client = LlmPipelineFactory.Create(Routing(provider), null, new LlmResilienceOptions { MaxRetries = 0 });
        var options = OptionsWith(() => Interlocked.Increment(ref calls));

        var (response, _) = await ChatRun.AskAsync(client, streaming, options: options);

        Assert.Equal("answer", response.Text);
        Assert.Equal(1, calls);
        Assert.Equal(1, calledAtFirstRead);
        if (streaming)
        {
            Assert.Equal(0, calledAtProviderEntry); // after the provider mapped the request, before it is sent
        }

        var seen = Assert.Single(provider.Recorded).Options!;
        Assert.False(seen.AdditionalProperties!.ContainsKey(ProviderCallProperties.RequestStarted));
        Assert.Equal(42UL, seen.AdditionalProperties["cordial.guild_id"]);
        Assert.True(options.AdditionalProperties!.ContainsKey(ProviderCallProperties.RequestStarted), "the caller's options are not changed");
    }

    [Fact]
    public async Task A_request_whose_only_property_is_the_callback_reaches_the_provider_with_none()
    {
        var provider = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Text("ok") };
        using var client = LlmPipelineFactory.Create(Routing(provider), null, new LlmResilienceOptions { MaxRetries = 0 });
        var options = new ChatOptions { AdditionalProperties = new() { [ProviderCallProperties.RequestStarted] = (Action)(() => { }) } };

        await ChatRun.AskAsync(client, streaming: true, options: options);

        Assert.Null(Assert.Single(provider.Recorded).Options!.AdditionalProperties);
    }

    [Fact]
    public async Task Requests_differing_only_in_their_callback_share_the_cache_and_a_hit_calls_nothing()
    {
        var provider = new FakeChatClient { Respond = (_, _, _, _) => CacheTestStreams.Stop("cached ", "answer") };
        using var client = LlmPipelineFactory.Create(Routing(provider), null, new LlmResilienceOptions { MaxRetries = 0 });
        var first = 0;
        var second = 0;

        await ChatRun.AskAsync(client, streaming: true, options: OptionsWith(() => first++));
        var (hit, _) = await ChatRun.AskAsync(client, streaming: true, options: OptionsWith(() => second++));

        Assert.Equal("cached answer", hit.Text);
        Assert.Equal(1, provider.Calls);
        Assert.Equal((1, 0), (first, second));
    }

    [Fact]
    public void The_cache_key_ignores_the_callback_but_not_the_other_properties()
    {
        List<ChatMessage> messages = [new(ChatRole.User, "hello")];
        static ResponseCacheKey Key(IList<ChatMessage> messages, ChatOptions? options)
        {
            Assert.True(ResponseCacheKey.TryCompute(messages, options, out var key));
            return key;
        }

        Assert.Equal(Key(messages, OptionsWith(() => { })), Key(messages, OptionsWith(() => { })));
        Assert.Equal(Key(messages, new ChatOptions()), Key(messages, new ChatOptions { AdditionalProperties = new() { [ProviderCallProperties.RequestStarted] = (Action)(() => { }) } }));
        Assert.NotEqual(Key(messages, OptionsWith(() => { }, guild: 1)), Key(messages, OptionsWith(() => { }, guild: 2)));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> FirstRead(Action onFirstRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        onFirstRead();
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "answer");
    }
}
