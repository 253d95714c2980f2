namespace Cordial.Emulator.Discord.Control;

/// <summary>
/// Body of POST /_emulator/discord/interactions. With <see cref="Focused"/> set it is an autocomplete request: the user
/// is typing that option, whose value in <see cref="Options"/> (missing = "") is the partial text.
/// </summary>
internal sealed record SlashCommandRequest(ulong ChannelId, ulong UserId, string CommandName, Dictionary<string, System.Text.Json.JsonElement>? Options, string? Focused = null);
