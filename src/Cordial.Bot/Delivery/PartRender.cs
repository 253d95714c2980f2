namespace Cordial.Bot.Delivery;

/// <summary>How one part should look: its text and, in embed mode, colour and footer.</summary>
internal readonly record struct PartRender(string Text, int Color, string? Footer);
