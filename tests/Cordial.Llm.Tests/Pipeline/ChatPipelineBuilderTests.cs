using Cordial.Llm.Pipeline;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

public sealed class ChatPipelineBuilderTests
{
    private sealed class Tagging(IChatClient inner, string name, List<string> log) : DelegatingChatClient(inner)
    {
        public string Name => name;

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            log.Add(name);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    [Fact]
    public async Task First_stage_added_is_the_outermost()
    {
        var log = new List<string>();
        var inner = new FakeChatClient();
        var client = new ChatPipelineBuilder(inner)
            .Use(c => new Tagging(c, "outer", log))
            .Use(c => new Tagging(c, "middle", log))
            .Use((c, _) => new Tagging(c, "inner", log))
            .Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["outer", "middle", "inner"], log);
        Assert.Equal("outer", Assert.IsType<Tagging>(client).Name);
        Assert.Same(inner, client.GetService<FakeChatClient>());
    }

    [Fact]
    public void Services_reach_the_inner_factory_and_every_stage()
    {
        var services = new ServiceCollectionProviderStub();
        IServiceProvider? seenByInner = null;
        IServiceProvider? seenByStage = null;

        new ChatPipelineBuilder(sp =>
            {
                seenByInner = sp;
                return new FakeChatClient();
            })
            .Use((c, sp) =>
            {
                seenByStage = sp;
                return c;
            })
            .Build(services);

        Assert.Same(services, seenByInner);
        Assert.Same(services, seenByStage);
    }

    [Fact]
    public void A_stage_returning_null_is_reported()
    {
        var builder = new ChatPipelineBuilder(new FakeChatClient()).Use(_ => null!);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("stage 0", error.Message, StringComparison.Ordinal);
    }

    private sealed class ServiceCollectionProviderStub : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
