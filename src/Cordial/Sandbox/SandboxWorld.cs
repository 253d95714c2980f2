namespace Cordial.Sandbox;

/// <summary>
/// The seeded sandbox, registered as a singleton in the sandbox's services (for the sandbox page): who is who and
/// where, by id.
/// </summary>
/// <param name="BotUserId">The bot "Cordial".</param>
/// <param name="GuildId">The guild "Cordial Sandbox".</param>
/// <param name="UserId">The user "you" (an admin of the bot).</param>
/// <param name="Channels">Channels by name: general (mention mode), ask-anything (every message), threads (opens a thread per conversation), and the thread "sandbox-thread" in #general.</param>
/// <param name="SimulatedModel">True when the simulated model answers (no Llm configured).</param>
public sealed record SandboxWorld(ulong BotUserId, ulong GuildId, ulong UserId, IReadOnlyDictionary<string, ulong> Channels, bool SimulatedModel);
