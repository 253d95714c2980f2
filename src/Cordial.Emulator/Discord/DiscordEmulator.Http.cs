using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cordial.Emulator.Discord;

/// <summary>Small HTTP-facing helpers.</summary>
public sealed partial class DiscordEmulator
{
    /// <summary>Learns the public base address from the first request when the host did not set it.</summary>
    internal void NoteBaseAddress(HttpRequest request)
    {
        if (!PublicBaseUrlKnown)
        {
            PublicBaseUrl = (request.IsHttps ? "https://" : "http://") + request.Host.Value + request.PathBase.Value + "/";
            PublicBaseUrlKnown = true;
        }
    }

    /// <summary>The bot behind an interaction route (by interaction id or token), for stats and buckets.</summary>
    internal BotState? BotForInteraction(HttpContext context)
    {
        lock (_gate)
        {
            EmulatedInteraction? interaction = null;
            if (context.GetRouteValue("interaction_id") is string idText && ulong.TryParse(idText, out var id))
            {
                _interactions.TryGetValue(id, out interaction);
            }
            else if (context.GetRouteValue("interaction_token") is string token)
            {
                _interactionsByToken.TryGetValue(token, out interaction);
            }

            return interaction is null ? null : _botsById.GetValueOrDefault(interaction.BotUserId);
        }
    }
}
