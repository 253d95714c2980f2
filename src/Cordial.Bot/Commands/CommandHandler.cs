using System.Globalization;
using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;
using Cordial.Bot.Responding;
using Cordial.Bot.Settings;
using Cordial.Bot.Usage;
using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Commands;

/// <summary>
/// Runs Cordial's slash commands. Every command answers (or defers) at once, well inside Discord's 3 seconds; only
/// /chat defers, because its answer streams from the model.
/// </summary>
public sealed partial class CommandHandler(
    MessageResponder responder,
    IMessageNodeStore store,
    IChannelSettingsStore settings,
    IModelDirectory models,
    IUsageStore usage,
    TimeProvider timeProvider,
    ILogger<CommandHandler> logger,
    IQuotaView? quotas = null)
{
    public async Task HandleAsync(IncomingCommand command, ICommandResponse response, CancellationToken cancellationToken)
    {
        var definition = CommandDefinition.All.FirstOrDefault(d => d.Name == command.Name);
        if (definition is null)
        {
            if (command.IsAutocomplete)
            {
                await response.AutocompleteAsync([], cancellationToken); // an autocomplete request can only be answered with choices
                return;
            }

            await response.ReplyAsync("This command is no longer available.", ephemeral: true, cancellationToken);
            return;
        }

        var access = responder.Rules.Access;
        var decision = access.Check(command.User, command.Channel);
        var isAdmin = access.IsAdmin(command.User.Id);
        if (command.IsAutocomplete)
        {
            await response.AutocompleteAsync(isAdmin ? Suggest(command) : [], cancellationToken);
            return;
        }

        if (decision is not (AccessDecision.Allowed or AccessDecision.AllowedAsAdmin))
        {
            await response.ReplyAsync(AccessPolicy.Describe(decision), ephemeral: true, cancellationToken);
            return;
        }

        if (definition.AdminOnly && !isAdmin)
        {
            await response.ReplyAsync($"Only the bot's admins can use /{definition.Name}.", ephemeral: true, cancellationToken);
            return;
        }

        Log.Command(logger, command.Name, command.Id);
        switch (command.Name)
        {
            case "chat":
                await ChatAsync(command, response, cancellationToken);
                break;
            case "reset":
                await store.SetResetAsync(command.Channel.Id, command.User.Id, command.Id, cancellationToken);
                await response.ReplyAsync(
                    "Done: your next message here starts a fresh conversation. (Replying to an older message still continues that one.)",
                    ephemeral: true,
                    cancellationToken);
                break;
            case "model":
                await ModelAsync(command, response, cancellationToken);
                break;
            case "persona":
                await PersonaAsync(command, response, cancellationToken);
                break;
            case "stats":
                await StatsAsync(command, response, cancellationToken);
                break;
            default:
                await response.ReplyAsync(HelpText, ephemeral: true, cancellationToken);
                break;
        }
    }

    /// <summary>The text /help shows.</summary>
    public const string HelpText = """
        **Talking to me**
        • Mention me in a channel, or send me a direct message.
        • Reply to any of my answers to continue that conversation; reply to anyone's message while mentioning me to bring it in.
        • In my threads, every message continues the conversation.
        **Commands**
        `/chat` ask without a mention · `/reset` start fresh here · `/stats` your usage · `/help` this text
        `/model` and `/persona` (admins) choose this channel's model and persona.
        """;

    private async Task ChatAsync(IncomingCommand command, ICommandResponse response, CancellationToken cancellationToken)
    {
        var prompt = command.GetString("prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            await response.ReplyAsync("Tell me what to ask: `/chat prompt: …`", ephemeral: true, cancellationToken);
            return;
        }

        var loading = await response.DeferAsync(ephemeral: false, cancellationToken);
        var message = new IncomingMessage
        {
            Id = command.Id,
            ChannelId = command.Channel.Id,
            Channel = command.Channel,
            Author = command.User,
            Timestamp = timeProvider.GetUtcNow(),
            Content = prompt,
        };
        await responder.AnswerCommandAsync(message, response.AsReplySurface(), loading, cancellationToken);
    }

    private async Task ModelAsync(IncomingCommand command, ICommandResponse response, CancellationToken cancellationToken)
    {
        var current = await settings.GetAsync(command.Channel.Id, cancellationToken);
        var name = command.GetString("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            var active = current.Model ?? models.Resolve(command.Channel).Name;
            await response.ReplyAsync(
                $"This channel uses **{active}**{(current.Model is null ? " (as configured)" : "")}. Models: {string.Join(", ", models.ModelNames)}.",
                ephemeral: true,
                cancellationToken);
            return;
        }

        if (models.Find(name) is null)
        {
            await response.ReplyAsync($"There is no model called '{name}'. Models: {string.Join(", ", models.ModelNames)}.", ephemeral: true, cancellationToken);
            return;
        }

        await settings.SetAsync(command.Channel.Id, current with { Model = name }, cancellationToken);
        await response.ReplyAsync($"From now on **{name}** answers in this channel.", ephemeral: false, cancellationToken);
    }

    private async Task PersonaAsync(IncomingCommand command, ICommandResponse response, CancellationToken cancellationToken)
    {
        var current = await settings.GetAsync(command.Channel.Id, cancellationToken);
        var text = command.GetString("text")?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            await response.ReplyAsync(
                current.Persona is null ? "This channel has no persona set with /persona (the configured one applies)." : $"This channel's persona:\n>>> {current.Persona}",
                ephemeral: true,
                cancellationToken);
            return;
        }

        var clear = string.Equals(text, "clear", StringComparison.OrdinalIgnoreCase);
        await settings.SetAsync(command.Channel.Id, current with { Persona = clear ? null : text }, cancellationToken);
        await response.ReplyAsync(clear ? "Persona removed for this channel." : "Persona set for this channel.", ephemeral: false, cancellationToken);
    }

    private async Task StatsAsync(IncomingCommand command, ICommandResponse response, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var summary = await usage.GetAsync(command.User.Id, today, cancellationToken);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"**Your usage**\nAnswers today: {summary.RequestsToday:N0} · in total: {summary.RequestsTotal:N0}\nTokens in total: {summary.InputTokensTotal:N0} in, {summary.OutputTokensTotal:N0} out");
        if (quotas is not null)
        {
            text += DescribeQuota(quotas.GetLeft(command.User.Id, command.Channel.GuildId));
        }

        await response.ReplyAsync(text, ephemeral: true, cancellationToken);
    }

    /// <summary>The /stats line about quotas: empty when no limit applies.</summary>
    internal static string DescribeQuota(QuotaLeft left)
    {
        if (left.Exempt)
        {
            return "\nQuotas: none apply to you (admin)";
        }

        var parts = new List<string>(3);
        if (left.RequestsThisMinute is { } minute)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{minute:N0} this minute"));
        }

        if (left.RequestsToday is { } today)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{today:N0} today"));
        }

        var text = parts.Count == 0 ? "" : "\nRequests left: " + string.Join(" · ", parts);
        if (left.TokensToday is { } tokens)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\nTokens left today: {tokens:N0}");
        }

        return text;
    }

    private List<string> Suggest(IncomingCommand command)
    {
        if (command is not { Name: "model", FocusedOption: "name" })
        {
            return [];
        }

        var typed = command.GetString("name") ?? "";
        return models.ModelNames.Where(n => n.Contains(typed, StringComparison.OrdinalIgnoreCase)).Take(25).ToList();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Command /{Name} ({InteractionId})")]
        public static partial void Command(ILogger logger, string name, ulong interactionId);
    }
}
