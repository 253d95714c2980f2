namespace Cordial.Bot.Prompting;

/// <summary>The system prompt and personas (configuration section "Bot:Prompt").</summary>
public sealed class PromptOptions
{
    /// <summary>The default system prompt; default shown below.</summary>
    public const string DefaultSystemPrompt =
        "You are Cordial, a helpful assistant chatting on Discord. Today is {date}; the time is {time} UTC. " +
        "You are talking with {user}{where}. Answer in Discord-flavoured Markdown and keep answers as short as the question allows.";

    /// <summary>
    /// The system prompt. Placeholders: {date}, {time}, {guild}, {channel}, {user}, and {where} (" in #channel of
    /// guild", or empty in DMs).
    /// </summary>
    public string SystemPrompt { get; set; } = DefaultSystemPrompt;

    /// <summary>Personas appended to the system prompt, keyed by guild or channel id (a channel's wins over its guild's).</summary>
    public Dictionary<ulong, string> Personas { get; set; } = [];

    /// <summary>In guilds, prefix each user turn with the author's name so the model knows who said what.</summary>
    /// <value>Default true.</value>
    public bool IncludeUserNames { get; set; } = true;

    public IEnumerable<string> Validate(string section = "Bot:Prompt")
    {
        if (string.IsNullOrWhiteSpace(SystemPrompt))
        {
            yield return $"{section}:SystemPrompt must not be empty.";
        }
        else if (SystemPrompt.Length > 20_000)
        {
            yield return $"{section}:SystemPrompt must be at most 20,000 characters (was {SystemPrompt.Length:N0}).";
        }

        foreach (var (id, persona) in Personas)
        {
            if (persona.Length > 20_000)
            {
                yield return $"{section}:Personas:{id} must be at most 20,000 characters.";
            }
        }
    }
}
