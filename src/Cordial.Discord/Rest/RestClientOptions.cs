namespace Cordial.Discord.Rest;

/// <summary>Settings of <see cref="DiscordRestClient"/> (configuration section "Discord:Rest").</summary>
/// <remarks>The client copies these at construction; later changes have no effect on it.</remarks>
public sealed class RestClientOptions
{
    /// <summary>Discord's API root, ending with a slash.</summary>
    /// <value>Default <c>https://discord.com/api/v10/</c>. Plain http is accepted only for loopback hosts (the emulator).</value>
    public Uri BaseAddress { get; set; } = new("https://discord.com/api/v10/");

    /// <summary>The bot token, sent as <c>Authorization: Bot {token}</c>. A leading "Bot " is accepted and removed.</summary>
    public string Token { get; set; } = "";

    /// <summary>The User-Agent Discord asks bots to send.</summary>
    /// <value>Default <c>DiscordBot (https://github.com/cordial-bot/cordial, 1.0)</c>.</value>
    public string UserAgent { get; set; } = "DiscordBot (https://github.com/cordial-bot/cordial, 1.0)";

    /// <summary>How many times a GET/PUT/PATCH/DELETE is retried after a 5xx or a network failure (POST never is).</summary>
    /// <value>Default 3; 0 to 10.</value>
    public int MaxServerErrorRetries { get; set; } = 3;

    /// <summary>The first delay between server-error retries; it doubles each time.</summary>
    /// <value>Default 500 ms; 0 to 1 minute.</value>
    public TimeSpan ServerErrorBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many 429s one call obeys and retries before it gives up with a <see cref="DiscordRestException"/>.</summary>
    /// <value>Default 20; 0 to 1000.</value>
    public int MaxRateLimitRetries { get; set; } = 20;

    /// <summary>Requests per second the bot token may send (interaction endpoints are exempt).</summary>
    /// <value>Default 50 (Discord's global limit); 1 to 10,000.</value>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Routes and buckets unused for this long are forgotten (and relearned on next use).</summary>
    /// <value>Default 10 minutes; at least 1 second.</value>
    public TimeSpan BucketIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Returns one message per invalid setting, naming it; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            errors.Add("Discord:Rest:BaseAddress must be an absolute URL such as https://discord.com/api/v10/.");
        }
        else
        {
            if (BaseAddress.Scheme != Uri.UriSchemeHttps && !(BaseAddress.Scheme == Uri.UriSchemeHttp && BaseAddress.IsLoopback))
            {
                errors.Add($"Discord:Rest:BaseAddress '{BaseAddress}' must use https (plain http is allowed only for loopback hosts).");
            }

            if (!BaseAddress.AbsolutePath.EndsWith('/'))
            {
                errors.Add($"Discord:Rest:BaseAddress '{BaseAddress}' must end with a slash.");
            }
        }

        var token = NormalizedToken;
        if (token.Length == 0)
        {
            errors.Add("Discord:Rest:Token is required (the bot token from the Discord developer portal).");
        }
        else if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("Discord:Rest:Token contains whitespace or control characters.");
        }

        if (string.IsNullOrWhiteSpace(UserAgent) || UserAgent.Any(char.IsControl))
        {
            errors.Add("Discord:Rest:UserAgent must be a non-empty single line.");
        }

        if (MaxServerErrorRetries is < 0 or > 10)
        {
            errors.Add($"Discord:Rest:MaxServerErrorRetries must be between 0 and 10 (was {MaxServerErrorRetries}).");
        }

        if (ServerErrorBackoff < TimeSpan.Zero || ServerErrorBackoff > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Discord:Rest:ServerErrorBackoff must be between 0 and 1 minute (was {ServerErrorBackoff}).");
        }

        if (MaxRateLimitRetries is < 0 or > 1000)
        {
            errors.Add($"Discord:Rest:MaxRateLimitRetries must be between 0 and 1000 (was {MaxRateLimitRetries}).");
        }

        if (GlobalRequestsPerSecond is < 1 or > 10_000)
        {
            errors.Add($"Discord:Rest:GlobalRequestsPerSecond must be between 1 and 10000 (was {GlobalRequestsPerSecond}).");
        }

        if (BucketIdleTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Discord:Rest:BucketIdleTimeout must be at least 1 second (was {BucketIdleTimeout}).");
        }

        return errors;
    }

    internal string NormalizedToken
    {
        get
        {
            var token = (Token ?? "").Trim();
            return token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? token[4..].Trim() : token;
        }
    }
}
