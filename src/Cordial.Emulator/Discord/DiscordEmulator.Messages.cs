using System.Globalization;
using System.Text.RegularExpressions;

namespace Cordial.Emulator.Discord;

/// <summary>Messages: create, edit, delete, history, attachments, typing.</summary>
public sealed partial class DiscordEmulator
{
    private const int MaxAttachments = 10_000;
    private const long MaxAttachmentBytes = 512L * 1024 * 1024;
    private const int MaxFilesPerMessage = 10;

    private readonly Dictionary<ulong, StoredAttachment> _attachments = [];
    private readonly Queue<ulong> _attachmentOrder = new();
    private long _attachmentBytes;

    /// <summary>
    /// Posts a message as a user (added to the guild if needed) and dispatches MESSAGE_CREATE.
    /// Mentions are parsed from &lt;@id&gt; / &lt;@&amp;role&gt; / @everyone in the content.
    /// </summary>
    public Task<EmulatedMessage> PostMessageAsync(ulong channelId, ulong authorId, string content, PostMessageOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        if (content.Length > 4000)
        {
            throw new ArgumentException("Message content is limited to 4000 characters.", nameof(content));
        }

        var inputs = options?.Attachments ?? [];
        if (content.Length == 0 && inputs.Count == 0)
        {
            throw new ArgumentException("A message needs content or an attachment.", nameof(content));
        }

        if (inputs.Count > MaxFilesPerMessage)
        {
            throw new ArgumentException($"A message carries at most {MaxFilesPerMessage} files.", nameof(options));
        }

        foreach (var input in inputs)
        {
            if (input.Data.LongLength > Options.UserUploadLimit)
            {
                throw new UploadTooLargeException(TooLargeMessage(input.Filename, input.Data.LongLength, Options.UserUploadLimit));
            }
        }

        EmulatedMessage message;
        lock (_gate)
        {
            RequireUser(authorId);
            var channel = RequireChannel(channelId);
            if (channel.Channel.GuildId is { } guildId)
            {
                var guild = _guilds[guildId];
                guild.Members.TryAdd(authorId, new MemberState(authorId, Time.GetUtcNow()));
            }
            else if (!channel.Channel.RecipientIds.Contains(authorId))
            {
                throw new ArgumentException($"User {authorId} is not a recipient of DM {channelId}.", nameof(authorId));
            }

            if (options?.ReplyToMessageId is { } replyTo && !channel.Messages.ContainsKey(replyTo))
            {
                throw new ArgumentException($"No message {replyTo} in channel {channelId}.", nameof(options));
            }

            var attachments = inputs.Select(i => StoreAttachmentLocked(channelId, i.Filename, i.ContentType, i.Data)).ToList();
            message = CreateMessageLocked(channel, authorId, new MessageDraft(content, "[]", 0, null, null, options?.ReplyToMessageId, attachments), type: null, interactionId: null);
        }

        return Task.FromResult(message);
    }

    /// <summary>
    /// Edits a simulated user's message as its author would (the text changes, attachments stay) and dispatches
    /// MESSAGE_UPDATE with the whole message, as Discord does. Bots edit their messages over REST.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown or deleted message, a bot's message, content over 4000 characters, or a message left empty.</exception>
    public Task<EmulatedMessage> EditUserMessageAsync(ulong channelId, ulong messageId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        if (content.Length > 4000)
        {
            throw new ArgumentException("Message content is limited to 4000 characters.", nameof(content));
        }

        lock (_gate)
        {
            var channel = RequireChannel(channelId);
            if (!channel.Messages.TryGetValue(messageId, out var message) || message.Deleted)
            {
                throw new ArgumentException($"No message {messageId} in channel {channelId}.", nameof(messageId));
            }

            if (RequireUser(message.AuthorId).Bot)
            {
                throw new ArgumentException($"Message {messageId} was written by a bot; bots edit their messages over REST.", nameof(messageId));
            }

            if (content.Length == 0 && message.Attachments.Count == 0)
            {
                throw new ArgumentException("A message needs content or an attachment.", nameof(content));
            }

            return Task.FromResult(EditMessageLocked(channel, message, new MessageEdit(content, null, null, null, null, null)));
        }
    }

    /// <summary>What a user is told when a file is over the upload limit.</summary>
    internal static string TooLargeMessage(string filename, long size, long limit) =>
        string.Create(CultureInfo.InvariantCulture, $"The file {filename} is too large ({size:N0} bytes): files can be at most {DescribeSize(limit)} ({limit:N0} bytes).");

    /// <summary>"10 MB", "1.5 MB", "900 KB", "12 bytes" (binary units, as Discord shows them).</summary>
    internal static string DescribeSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>Every message of a channel, deleted ones included, by id ascending, with their revisions.</summary>
    public IReadOnlyList<EmulatedMessage> GetMessages(ulong channelId)
    {
        lock (_gate)
        {
            return [.. RequireChannel(channelId).Messages.Values];
        }
    }

    /// <summary>One message, or null.</summary>
    public EmulatedMessage? GetMessage(ulong channelId, ulong messageId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel) ? channel.Messages.GetValueOrDefault(messageId) : null;
        }
    }

    /// <summary>Shows a user typing in a channel (TYPING_START).</summary>
    public void TriggerTyping(ulong channelId, ulong userId)
    {
        lock (_gate)
        {
            RequireUser(userId);
            TriggerTypingLocked(RequireChannel(channelId), userId);
        }
    }

    internal (StoredAttachment? Attachment, bool Found) GetAttachment(ulong attachmentId)
    {
        lock (_gate)
        {
            return _attachments.TryGetValue(attachmentId, out var stored) ? (stored, true) : (null, false);
        }
    }

    internal EmulatedAttachment StoreAttachmentLocked(ulong channelId, string filename, string contentType, byte[] data)
    {
        var safeName = string.Concat(Path.GetFileName(filename).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        if (safeName.Length == 0)
        {
            safeName = "file";
        }

        var id = NextId();
        var attachment = new EmulatedAttachment(id, safeName, string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, data.Length,
            string.Create(CultureInfo.InvariantCulture, $"attachments/{channelId}/{id}/{safeName}"));
        _attachments[id] = new StoredAttachment(attachment, data);
        _attachmentOrder.Enqueue(id);
        _attachmentBytes += data.Length;
        while (_attachmentOrder.Count > MaxAttachments || (_attachmentBytes > MaxAttachmentBytes && _attachmentOrder.Count > 1))
        {
            var oldest = _attachmentOrder.Dequeue();
            if (_attachments.Remove(oldest, out var removed))
            {
                _attachmentBytes -= removed.Data.Length;
            }
        }

        return attachment;
    }

    internal EmulatedMessage CreateMessageLocked(ChannelState channel, ulong authorId, MessageDraft draft, int? type, ulong? interactionId)
    {
        var now = Time.GetUtcNow();
        var (users, roles, everyone) = ParseMentions(draft.Content, channel.Channel.GuildId);
        var message = new EmulatedMessage(
            NextId(),
            channel.Channel.Id,
            channel.Channel.GuildId,
            authorId,
            draft.Content,
            draft.EmbedsJson,
            draft.ReplyToMessageId,
            draft.Flags,
            draft.AllowedMentionsJson,
            Deleted: false,
            [new EmulatedRevision(draft.Content, draft.EmbedsJson, now)],
            draft.Attachments,
            users,
            roles,
            everyone,
            type ?? (draft.ReplyToMessageId is null ? 0 : 19),
            draft.ComponentsJson,
            interactionId,
            now,
            EditedAt: null);
        channel.Store(message);
        channel.LastMessageId = message.Id;
        channel.MessageCount++;
        DispatchMessageLocked("MESSAGE_CREATE", message, channel);
        Publish(new EmulatorEvent(EmulatorEventTypes.MessageCreated, now)
        {
            GuildId = message.GuildId,
            ChannelId = message.ChannelId,
            MessageId = message.Id,
            UserId = authorId,
            Message = message,
        });
        return message;
    }

    internal EmulatedMessage EditMessageLocked(ChannelState channel, EmulatedMessage old, MessageEdit edit)
    {
        var now = Time.GetUtcNow();
        var content = edit.Content ?? old.Content;
        var embeds = edit.EmbedsJson ?? old.Embeds;
        var (users, roles, everyone) = edit.Content is null
            ? (old.MentionUserIds, old.MentionRoleIds, old.MentionEveryone)
            : ParseMentions(content, channel.Channel.GuildId);
        var message = old with
        {
            Content = content,
            Embeds = embeds,
            Flags = edit.Flags ?? old.Flags,
            AllowedMentions = edit.AllowedMentionsJson ?? old.AllowedMentions,
            Components = edit.ComponentsJson ?? old.Components,
            Attachments = edit.Attachments ?? old.Attachments,
            MentionUserIds = users,
            MentionRoleIds = roles,
            MentionEveryone = everyone,
            Revisions = [.. old.Revisions, new EmulatedRevision(content, embeds, now)],
            EditedAt = now,
        };
        channel.Store(message);
        DispatchMessageLocked("MESSAGE_UPDATE", message, channel);
        Publish(new EmulatorEvent(EmulatorEventTypes.MessageUpdated, now)
        {
            GuildId = message.GuildId,
            ChannelId = message.ChannelId,
            MessageId = message.Id,
            UserId = message.AuthorId,
            Message = message,
        });
        return message;
    }

    internal void DeleteMessageLocked(ChannelState channel, EmulatedMessage old)
    {
        var message = old with { Deleted = true };
        channel.Store(message);
        DispatchMessageDeleteLocked(message, channel);
        Publish(new EmulatorEvent(EmulatorEventTypes.MessageDeleted, Time.GetUtcNow())
        {
            GuildId = message.GuildId,
            ChannelId = message.ChannelId,
            MessageId = message.Id,
            Message = message,
        });
    }

    internal void TriggerTypingLocked(ChannelState channel, ulong userId)
    {
        DispatchTypingLocked(channel, userId);
        Publish(new EmulatorEvent(EmulatorEventTypes.Typing, Time.GetUtcNow())
        {
            GuildId = channel.Channel.GuildId,
            ChannelId = channel.Channel.Id,
            UserId = userId,
        });
    }

    private (IReadOnlyList<ulong> Users, IReadOnlyList<ulong> Roles, bool Everyone) ParseMentions(string content, ulong? guildId)
    {
        List<ulong> users = [];
        List<ulong> roles = [];
        foreach (Match match in MentionPattern().Matches(content))
        {
            if (!ulong.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            if (match.Groups["role"].Success)
            {
                if (guildId is { } g && _guilds.TryGetValue(g, out var guild) && guild.Roles.ContainsKey(id) && !roles.Contains(id))
                {
                    roles.Add(id);
                }
            }
            else if (_users.ContainsKey(id) && !users.Contains(id))
            {
                users.Add(id);
            }
        }

        var everyone = guildId is not null && (content.Contains("@everyone", StringComparison.Ordinal) || content.Contains("@here", StringComparison.Ordinal));
        return (users, roles, everyone);
    }

    [GeneratedRegex(@"<@(?:(?<role>&)|!)?(?<id>\d{1,20})>", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();
}
