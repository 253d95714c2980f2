using Cordial.Bot.Messages;

namespace Cordial.Bot.Responding;

/// <summary>A model the bot can ask: its configured name (ChatOptions.ModelId) and whether it sees images.</summary>
public sealed record ModelChoice(string Name, bool Vision);

/// <summary>The configured models, as the bot needs them (implemented over Cordial.Llm's catalog).</summary>
public interface IModelDirectory
{
    /// <summary>Every configured model name, for /model.</summary>
    IReadOnlyList<string> ModelNames { get; }

    /// <summary>The model for a channel as configured (channel override, then guild override, then default).</summary>
    ModelChoice Resolve(ChannelInfo channel);

    /// <summary>The named model, or null when it is not configured.</summary>
    ModelChoice? Find(string name);
}
