using Cordial.Bot.Messages;

namespace Cordial.Bot.Commands;

/// <summary>A slash command (or its autocomplete request) as the bot's brain sees it.</summary>
public sealed record IncomingCommand
{
    public required ulong Id { get; init; }

    public required string Name { get; init; }

    public required MessageAuthor User { get; init; }

    public required ChannelInfo Channel { get; init; }

    /// <summary>Option values by name (strings, numbers and booleans as Discord sent them).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = new Dictionary<string, object?>();

    /// <summary>For autocomplete: the option the user is typing.</summary>
    public string? FocusedOption { get; init; }

    public bool IsAutocomplete => FocusedOption is not null;

    public string? GetString(string name) => Options.TryGetValue(name, out var value) ? value?.ToString() : null;
}
