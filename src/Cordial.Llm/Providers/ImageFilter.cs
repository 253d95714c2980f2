using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Providers;

/// <summary>Removes image content from messages for models without vision, counting what it removed.</summary>
internal static class ImageFilter
{
    public static bool IsImage(AIContent content) => content switch
    {
        DataContent data => data.HasTopLevelMediaType("image"),
        UriContent uri => uri.HasTopLevelMediaType("image"),
        _ => false,
    };

    /// <summary>
    /// <see cref="Apply(IEnumerable{ChatMessage}, bool, out int)"/> for a configured model, logging (at Debug) what it dropped.
    /// </summary>
    public static List<ChatMessage> Apply(IEnumerable<ChatMessage> messages, ModelOptions model, string modelName, ILogger logger, out int dropped)
    {
        var filtered = Apply(messages, model.Vision, out dropped);
        if (dropped > 0)
        {
            ProviderLog.ImagesDropped(logger, modelName, dropped);
        }

        return filtered;
    }

    /// <summary>The messages unchanged when <paramref name="vision"/> or when there are no images; otherwise copies without them.</summary>
    public static List<ChatMessage> Apply(IEnumerable<ChatMessage> messages, bool vision, out int dropped)
    {
        var list = messages as List<ChatMessage> ?? [.. messages];
        dropped = 0;
        if (vision)
        {
            return list;
        }

        var count = list.Sum(m => m.Contents.Count(IsImage));
        if (count == 0)
        {
            return list;
        }

        dropped = count;
        var result = new List<ChatMessage>(list.Count);
        foreach (var message in list)
        {
            if (!message.Contents.Any(IsImage))
            {
                result.Add(message);
                continue;
            }

            var copy = message.Clone();
            copy.Contents = [.. message.Contents.Where(c => !IsImage(c))];
            result.Add(copy);
        }

        return result;
    }
}
