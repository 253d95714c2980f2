namespace Cordial.Bot.Delivery;

/// <summary>The one embed a reply part may carry.</summary>
/// <param name="Description">The text (at most 4096 characters).</param>
/// <param name="Color">RGB colour, 0x000000 to 0xFFFFFF.</param>
/// <param name="FooterText">Footer line (model, tokens/s), or null for none.</param>
public sealed record OutgoingEmbed(string Description, int Color, string? FooterText = null);
