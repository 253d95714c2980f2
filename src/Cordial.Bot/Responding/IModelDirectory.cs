using Cordial.Bot.Messages;

namespace Cordial.Bot.Responding;

/// <summary>A model the bot can ask: its configured name (ChatOptions.ModelId) and whether it sees images.</summary>
/// <param name="Name">The configured name.</param>
/// <param name="Vision">Whether it accepts images.</param>
/// <param name="ContextWindowTokens">Its context window in tokens, when configured (prompt budgeting).</param>
/// <param name="MaxOutputTokens">Its output limit, when configured (room kept for the answer).</param>
public sealed record ModelChoice(string Name, bool Vision, int? ContextWindowTokens = null, int? MaxOutputTokens = null);

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
