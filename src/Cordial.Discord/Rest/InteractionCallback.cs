using System.Text.Json.Serialization;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>Body of POST /interactions/{id}/{token}/callback.</summary>
public sealed class InteractionCallback
{
    public InteractionCallback(InteractionCallbackType type, MessageCreate? data = null)
    {
        Type = type;
        Data = data;
    }

    [JsonPropertyName("type")]
    public InteractionCallbackType Type { get; }

    /// <summary>The message (its allowed mentions default to none, like every message).</summary>
    [JsonPropertyName("data")]
    public MessageCreate? Data { get; }

    /// <summary>Answer with a message now.</summary>
    public static InteractionCallback Message(MessageCreate message) =>
        new(InteractionCallbackType.ChannelMessageWithSource, message ?? throw new ArgumentNullException(nameof(message)));

    /// <summary>"Bot is thinking…": the answer comes later by editing the original response.</summary>
    public static InteractionCallback Defer(bool ephemeral = false) =>
        new(InteractionCallbackType.DeferredChannelMessageWithSource, ephemeral ? new MessageCreate { Flags = MessageFlags.Ephemeral } : null);
}
