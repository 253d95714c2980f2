namespace Cordial.Emulator.Discord;

/// <summary>A guild member; guarded by the emulator's lock.</summary>
internal sealed class MemberState(ulong userId, DateTimeOffset joinedAt)
{
    public ulong UserId { get; } = userId;
    public List<ulong> RoleIds { get; } = [];
    public DateTimeOffset JoinedAt { get; } = joinedAt;
}
