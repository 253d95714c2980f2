namespace Cordial.Emulator.Discord;

/// <summary>An application command registered by a bot, globally (<see cref="GuildId"/> null) or in one guild.</summary>
/// <param name="Json">The full command object as Discord returns it.</param>
public sealed record EmulatedApplicationCommand(
    ulong Id,
    ulong ApplicationId,
    ulong? GuildId,
    string Name,
    string Description,
    int Type,
    string OptionsJson,
    string Json);
