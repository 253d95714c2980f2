using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>A parsed and validated message body (create or edit). Null fields were absent.</summary>
internal sealed record MessagePayload(
    string? Content,
    string? EmbedsJson,
    int? Flags,
    string? AllowedMentionsJson,
    string? ComponentsJson,
    ulong? ReplyToMessageId,
    bool FailIfReplyMissing,
    JsonArray? AttachmentsJson,
    IReadOnlyList<PendingFile> Files,
    bool HasOtherContent);
