namespace Cordial.Bot.Delivery;

/// <summary>A split position (exclusive end of a part's body) and the fence open there; End 0 means none.</summary>
internal readonly record struct SplitPoint(int End, CodeFence? Fence)
{
    public static SplitPoint None => default;

    public bool Exists => End > 0;
}
