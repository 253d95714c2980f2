using Cordial.Bot.Commands;
using Cordial.Configuration;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// Registers Cordial's slash commands (<see cref="CommandDefinition.All"/>) once per process, when the application id is
/// known (READY): in <c>Discord:DevelopmentGuildId</c> when set (instant), globally otherwise. A failure is logged, not fatal.
/// </summary>
internal sealed partial class CommandRegistrar(DiscordRestClient rest, DiscordOptions options, ILogger<CommandRegistrar> logger)
{
    private int _registered;

    /// <summary>Whether the commands were registered.</summary>
    public bool Registered => Volatile.Read(ref _registered) == 2;

    public async Task RegisterOnceAsync(ulong applicationId, CancellationToken cancellationToken)
    {
        if (!options.RegisterCommands || applicationId == 0 || Interlocked.CompareExchange(ref _registered, 1, 0) != 0)
        {
            return;
        }

        var commands = CommandDefinition.All.Select(ToJson).ToArray();
        try
        {
            if (options.DevelopmentGuildId is { } guild)
            {
                await rest.BulkOverwriteGuildCommandsAsync(applicationId, guild, commands, cancellationToken);
                Log.Registered(logger, commands.Length, "guild " + guild.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                await rest.BulkOverwriteGlobalCommandsAsync(applicationId, commands, cancellationToken);
                Log.Registered(logger, commands.Length, "global");
            }

            Volatile.Write(ref _registered, 2);
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException or OperationCanceledException)
        {
            Volatile.Write(ref _registered, 0);
            Log.Failed(logger, ex.Message);
        }
    }

    internal static JsonApplicationCommand ToJson(CommandDefinition definition) => new()
    {
        Type = 1,
        Name = definition.Name,
        Description = definition.Description,
        Contexts = [0, 1],
        Options = definition.Options.Count == 0
            ? null
            : [.. definition.Options.Select(o => new JsonApplicationCommandOption
            {
                Type = ApplicationCommandOptionType.String,
                Name = o.Name,
                Description = o.Description,
                Required = o.Required ? true : null,
                Autocomplete = o.Autocomplete ? true : null,
                MaxLength = o.MaxLength,
            })],
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Registered {Count} slash commands ({Scope})")]
        public static partial void Registered(ILogger logger, int count, string scope);

        [LoggerMessage(2, LogLevel.Warning, "Registering the slash commands failed: {Reason}")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
