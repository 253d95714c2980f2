using Cordial.Bot.Messages;

namespace Cordial.Bot.Prompting;

/// <summary>Where and for whom a prompt is built.</summary>
/// <param name="Channel">The channel of the triggering message.</param>
/// <param name="UserName">The display name of the user who triggered the answer.</param>
/// <param name="Persona">A persona set at run time (/persona) that overrides the configured ones; null for none.</param>
public sealed record PromptContext(ChannelInfo Channel, string UserName, string? Persona = null);
