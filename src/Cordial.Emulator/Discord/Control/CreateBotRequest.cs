namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/bots.</summary>
internal sealed record CreateBotRequest(string? Username, string? Token, bool? MessageContentIntentAllowed);
