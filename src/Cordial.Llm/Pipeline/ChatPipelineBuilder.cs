using Microsoft.Extensions.AI;

namespace Cordial.Llm.Pipeline;

/// <summary>
/// Composes an <see cref="IChatClient"/> from an inner client and an ordered list of middleware stages,
/// in the shape of Microsoft.Extensions.AI's ChatClientBuilder (which does not restore here).
/// </summary>
/// <remarks>
/// The first stage added with <see cref="Use(Func{IChatClient, IServiceProvider?, IChatClient})"/> is the
/// outermost: it sees the caller's request first and the answer last. <see cref="Build"/> may be called more
/// than once; each call creates new stage instances around a new (or the same) inner client.
/// Not thread-safe while stages are being added.
/// </remarks>
public sealed class ChatPipelineBuilder
{
    private readonly Func<IServiceProvider?, IChatClient> _innerClientFactory;
    private readonly List<Func<IChatClient, IServiceProvider?, IChatClient>> _stages = [];

    /// <summary>Starts a pipeline around an existing client (the pipeline's innermost client).</summary>
    public ChatPipelineBuilder(IChatClient innerClient)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        _innerClientFactory = _ => innerClient;
    }

    /// <summary>Starts a pipeline whose innermost client is created from the services at <see cref="Build"/> time.</summary>
    public ChatPipelineBuilder(Func<IServiceProvider?, IChatClient> innerClientFactory)
    {
        ArgumentNullException.ThrowIfNull(innerClientFactory);
        _innerClientFactory = innerClientFactory;
    }

    /// <summary>Number of stages added so far.</summary>
    public int Count => _stages.Count;

    /// <summary>Adds a stage; stages added earlier wrap stages added later.</summary>
    public ChatPipelineBuilder Use(Func<IChatClient, IServiceProvider?, IChatClient> stageFactory)
    {
        ArgumentNullException.ThrowIfNull(stageFactory);
        _stages.Add(stageFactory);
        return this;
    }

    /// <summary>Adds a stage that needs no services.</summary>
    public ChatPipelineBuilder Use(Func<IChatClient, IChatClient> stageFactory)
    {
        ArgumentNullException.ThrowIfNull(stageFactory);
        return Use((inner, _) => stageFactory(inner));
    }

    /// <summary>Creates the composed client. The caller owns (and disposes) the result.</summary>
    public IChatClient Build(IServiceProvider? services = null)
    {
        var client = _innerClientFactory(services)
            ?? throw new InvalidOperationException("The inner client factory returned null.");

        for (var i = _stages.Count - 1; i >= 0; i--)
        {
            client = _stages[i](client, services)
                ?? throw new InvalidOperationException($"Pipeline stage {i} returned null instead of a client.");
        }

        return client;
    }
}
