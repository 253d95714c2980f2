namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/users.</summary>
internal sealed record CreateUserRequest(string Username, bool? Bot);
