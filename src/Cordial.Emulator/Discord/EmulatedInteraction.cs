namespace Cordial.Emulator.Discord;

/// <summary>
/// A slash command run by a simulated user (or the user typing one of its options: an autocomplete request), and
/// everything the bot answered to it. Live and thread-safe: the response properties change as the bot responds.
/// </summary>
public sealed class EmulatedInteraction
{
    private readonly Lock _gate = new();
    private readonly List<EmulatedInteractionResponse> _responses = [];
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong? _originalMessageId;

    internal EmulatedInteraction(
        ulong id, string token, EmulatedBot bot, ulong channelId, ulong? guildId, ulong userId,
        ulong commandId, string commandName, string optionsJson, DateTimeOffset createdAt, string? focusedOption = null)
    {
        FocusedOption = focusedOption;
        Id = id;
        Token = token;
        Bot = bot;
        ChannelId = channelId;
        GuildId = guildId;
        UserId = userId;
        CommandId = commandId;
        CommandName = commandName;
        OptionsJson = optionsJson;
        CreatedAt = createdAt;
    }

    public ulong Id { get; }
    public string Token { get; }
    public ulong ApplicationId => Bot.ApplicationId;
    public ulong BotUserId => Bot.User.Id;
    public ulong ChannelId { get; }
    public ulong? GuildId { get; }
    public ulong UserId { get; }
    public ulong CommandId { get; }
    public string CommandName { get; }

    /// <summary>The options sent in <c>data.options</c>, as JSON array text.</summary>
    public string OptionsJson { get; }
    public DateTimeOffset CreatedAt { get; }
    internal EmulatedBot Bot { get; }

    /// <summary>Interaction type: 2 (APPLICATION_COMMAND) or 4 (APPLICATION_COMMAND_AUTOCOMPLETE).</summary>
    public int Type => FocusedOption is null ? 2 : 4;

    /// <summary>For an autocomplete request: the option the user is typing (sent with <c>focused: true</c>); else null.</summary>
    public string? FocusedOption { get; }

    /// <summary>
    /// For an autocomplete request: the choices of the bot's type-8 callback (empty when it offered none); null while
    /// unanswered and for slash commands.
    /// </summary>
    public IReadOnlyList<EmulatedAutocompleteChoice>? AutocompleteChoices => Callback?.Choices;

    /// <summary>Every response in order: the callback, edits of the original response, follow-ups.</summary>
    public IReadOnlyList<EmulatedInteractionResponse> Responses
    {
        get
        {
            lock (_gate)
            {
                return [.. _responses];
            }
        }
    }

    /// <summary>The callback, or null while the interaction is unanswered.</summary>
    public EmulatedInteractionResponse? Callback => Responses.FirstOrDefault(r => r.Kind == EmulatedInteractionResponseKind.Callback);

    public int? CallbackType => Callback?.CallbackType;
    public string? CallbackContent => Callback?.Content;
    public string? CallbackEmbedsJson => Callback?.EmbedsJson;
    public DateTimeOffset? CallbackAt => Callback?.At;
    public bool Acknowledged => Callback is not null;

    /// <summary>Edits of the original response, in order.</summary>
    public IReadOnlyList<EmulatedInteractionResponse> OriginalEdits =>
        [.. Responses.Where(r => r.Kind == EmulatedInteractionResponseKind.EditOriginal)];

    /// <summary>Follow-up messages, in order.</summary>
    public IReadOnlyList<EmulatedInteractionResponse> FollowUps =>
        [.. Responses.Where(r => r.Kind == EmulatedInteractionResponseKind.FollowUp)];

    /// <summary>The message holding the original response (created by callback type 4 or 5).</summary>
    public ulong? OriginalMessageId
    {
        get
        {
            lock (_gate)
            {
                return _originalMessageId;
            }
        }
    }

    /// <summary>Completes when the bot has sent its callback.</summary>
    public Task WaitForCallbackAsync(CancellationToken cancellationToken) => _acknowledged.Task.WaitAsync(cancellationToken);

    internal bool TryAcknowledge(EmulatedInteractionResponse callback, ulong? originalMessageId)
    {
        lock (_gate)
        {
            if (_responses.Exists(r => r.Kind == EmulatedInteractionResponseKind.Callback))
            {
                return false;
            }

            _responses.Add(callback);
            _originalMessageId = originalMessageId;
        }

        _acknowledged.TrySetResult();
        return true;
    }

    internal void SetOriginalMessage(ulong messageId)
    {
        lock (_gate)
        {
            _originalMessageId = messageId;
        }
    }

    internal void Record(EmulatedInteractionResponse response)
    {
        lock (_gate)
        {
            if (_responses.Count < 10_000)
            {
                _responses.Add(response);
            }
        }
    }
}
