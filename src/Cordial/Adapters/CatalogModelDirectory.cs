using Cordial.Bot.Messages;
using Cordial.Bot.Responding;
using Cordial.Llm.Providers;

namespace Cordial.Adapters;

/// <summary>The configured models (Cordial.Llm's catalog) as the bot's brain needs them.</summary>
internal sealed class CatalogModelDirectory(ModelCatalog catalog) : IModelDirectory
{
    public IReadOnlyList<string> ModelNames => catalog.ModelNames;

    public ModelChoice Resolve(ChannelInfo channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var name = catalog.ResolveModel(channel.GuildId, channel.ParentChannelId is { } parent && channel.Kind == ChannelKind.Thread ? ChannelOverride(channel.Id, parent) : channel.Id);
        return Choice(name);
    }

    public ModelChoice? Find(string name) =>
        catalog.TryGetModelName(name, out var configured) ? Choice(configured) : null;

    private ModelChoice Choice(string name)
    {
        var model = catalog.GetModel(name);
        return new ModelChoice(name, model.Vision, model.ContextWindowTokens, model.MaxOutputTokens);
    }

    /// <summary>A thread uses its own override when it has one, else its channel's.</summary>
    private ulong ChannelOverride(ulong thread, ulong parent) =>
        catalog.ResolveModel(null, thread) != catalog.DefaultModel ? thread : parent;
}
