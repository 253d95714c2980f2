namespace Cordial.Emulator.Discord;

/// <summary>Channel kinds; the numeric values are Discord's channel types.</summary>
public enum EmulatedChannelKind
{
    Text = 0,
    DirectMessage = 1,
    Voice = 2,
    Category = 4,
    Announcement = 5,
    PublicThread = 11,
    PrivateThread = 12,
    Forum = 15,
}
