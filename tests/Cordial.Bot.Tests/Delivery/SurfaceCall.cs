using Cordial.Bot.Delivery;

namespace Cordial.Bot.Tests.Delivery;

internal enum SurfaceCallKind
{
    Send,
    Edit,
}

/// <summary>One recorded create or edit.</summary>
internal sealed record SurfaceCall(SurfaceCallKind Kind, ulong? MessageId, OutgoingMessage Message);
