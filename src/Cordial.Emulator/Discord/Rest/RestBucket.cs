namespace Cordial.Emulator.Discord.Rest;

/// <summary>Which per-route limit applies.</summary>
internal enum RestBucket
{
    /// <summary>A generous per-route bucket (50 per second) keyed by the major parameter.</summary>
    Default,

    /// <summary>Message creates and edits of one channel share one bucket (MessageBucketLimit per MessageBucketWindow).</summary>
    MessageWrite,

    /// <summary>Interaction webhook messages (original response, follow-ups) per interaction token, sized like MessageWrite.</summary>
    InteractionWebhook,
}
