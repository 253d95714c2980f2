namespace Cordial.Bot.Commands;

/// <summary>A string option of a slash command.</summary>
public sealed record CommandOption(string Name, string Description, bool Required = false, bool Autocomplete = false, int? MaxLength = null);

/// <summary>A slash command as registered with Discord at start-up.</summary>
/// <param name="Name">The command name, as typed after the slash.</param>
/// <param name="Description">Shown in Discord's command picker.</param>
/// <param name="AdminOnly">Refused (ephemerally) to users who are not in Bot:Access:AdminIds.</param>
/// <param name="Options">Its options.</param>
public sealed record CommandDefinition(string Name, string Description, bool AdminOnly, IReadOnlyList<CommandOption> Options)
{
    /// <summary>Cordial's commands.</summary>
    public static IReadOnlyList<CommandDefinition> All { get; } =
    [
        new("chat", "Ask the model something without mentioning the bot", false, [new("prompt", "What to ask", Required: true, MaxLength: 6000)]),
        new("reset", "Forget our conversation in this channel and start fresh", false, []),
        new("model", "Show or set the model that answers in this channel (admins)", true, [new("name", "The model to use", Autocomplete: true)]),
        new("persona", "Show or set this channel's persona (admins)", true,
            [new("text", "The persona, e.g. 'You are a patient maths tutor.' Use 'clear' to remove it.", MaxLength: 4000)]),
        new("stats", "Your usage: messages and tokens", false, []),
        new("help", "How to talk to the bot", false, []),
    ];
}
