using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>Discord's message limits, checked before sending so a too-long reply fails here with a clear message.</summary>
internal static class MessageLimits
{
    public const int MaxContentLength = 2000;
    public const int MaxEmbeds = 10;
    public const int MaxFiles = 10;

    public static void Check(string? content, IReadOnlyList<JsonEmbed>? embeds)
    {
        if (content is { Length: > MaxContentLength })
        {
            throw new ArgumentException($"Message content is {content.Length} characters; Discord allows {MaxContentLength}.");
        }

        if (embeds is { Count: > MaxEmbeds })
        {
            throw new ArgumentException($"A message carries at most {MaxEmbeds} embeds (got {embeds.Count}).");
        }
    }
}
