namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/interactions.</summary>
internal sealed record SlashCommandRequest(ulong ChannelId, ulong UserId, string CommandName, Dictionary<string, System.Text.Json.JsonElement>? Options);
