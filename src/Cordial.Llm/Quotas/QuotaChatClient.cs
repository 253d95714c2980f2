using System.Runtime.CompilerServices;
using Cordial.Llm.Caching;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Quotas;

/// <summary>
/// Enforces the user and guild quotas of <see cref="QuotaLedger"/>: a request is counted against its user
/// (<see cref="UserIdProperty"/>) and guild (<see cref="ResponseCachingChatClient.GuildIdProperty"/>) before it goes
/// on, and the tokens its answer used (<see cref="UsageContent"/> / <see cref="ChatResponse.Usage"/>) are charged
/// after. A refused request fails with <see cref="LlmProviderException"/> of kind
/// <see cref="LlmFailureKind.QuotaExceeded"/> carrying <see cref="LlmProviderException.RetryAfter"/>,
/// <see cref="LlmProviderException.QuotaScope"/> and <see cref="LlmProviderException.QuotaLimit"/>.
/// </summary>
/// <remarks>
/// <para>
/// Sits below the cache and coalescing stages, so a cache hit or a request that joins an identical one in flight costs
/// no quota; above the tool loop, so one question is one request however many tool rounds it takes (its tokens are
/// those of every round). Requests without a user or guild id (background work) are not limited here. Provider limits
/// are enforced further in, per model attempt, by <see cref="ProviderQuotaChatClient"/>; when every model of the
/// chain was refused that way (nothing was asked of any model), the user's and guild's request is given back.
/// </para>
/// <para>Thread-safe. Caller options are never modified; messages are enumerated once.</para>
/// </remarks>
public sealed class QuotaChatClient : DelegatingChatClient
{
    /// <summary><see cref="ChatOptions.AdditionalProperties"/> key holding the Discord user id (ulong, long or string) of the request.</summary>
    public const string UserIdProperty = "cordial.user_id";

    public QuotaChatClient(IChatClient innerClient, QuotaLedger ledger)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Ledger = ledger;
    }

    /// <summary>The shared state.</summary>
    public QuotaLedger Ledger { get; }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Ledger.LimitsRequesters ? GetLimitedResponseAsync(messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);
    }

    private async Task<ChatResponse> GetLimitedResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var (user, guild) = Identify(options);
        if (!Ledger.TryAcquire(user, guild, out var refusal))
        {
            throw refusal.ToException(model: options?.ModelId);
        }

        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (LlmProviderException ex) when (ex.QuotaScope == QuotaScope.Provider)
        {
            Ledger.Refund(user, guild); // no model was asked: the question costs the user nothing
            throw;
        }

        Ledger.ChargeTokens(user, guild, Tokens(response.Usage));
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Ledger.LimitsRequesters ? StreamAsync(messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (user, guild) = Identify(options);
        if (!Ledger.TryAcquire(user, guild, out var refusal))
        {
            throw refusal.ToException(model: options?.ModelId);
        }

        long tokens = 0;
        var started = false;
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (LlmProviderException ex) when (!started && ex.QuotaScope == QuotaScope.Provider)
                {
                    Ledger.Refund(user, guild); // no model was asked: the question costs the user nothing
                    throw;
                }

                started = true;
                var update = enumerator.Current;
                tokens += Tokens(update);
                yield return update;
            }
        }
        finally
        {
            // Also when the caller stopped reading or the stream failed: what was used was used.
            Ledger.ChargeTokens(user, guild, tokens);
            await enumerator.DisposeAsync();
        }
    }

    /// <summary>The user and guild ids of a request, when present and readable.</summary>
    internal static (ulong? User, ulong? Guild) Identify(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties)
        {
            return (null, null);
        }

        ulong? user = properties.TryGetValue(UserIdProperty, out var u) && ResponseCachingChatClient.TryParseGuild(u, out var userId) ? userId : null;
        ulong? guild = properties.TryGetValue(ResponseCachingChatClient.GuildIdProperty, out var g) && ResponseCachingChatClient.TryParseGuild(g, out var guildId) ? guildId : null;
        return (user, guild);
    }

    /// <summary>Tokens reported in an update (its <see cref="UsageContent"/>s).</summary>
    internal static long Tokens(ChatResponseUpdate update)
    {
        long tokens = 0;
        var contents = update.Contents; // indexed: called per streamed token, a foreach would box an enumerator
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent usage)
            {
                tokens += Tokens(usage.Details);
            }
        }

        return tokens;
    }

    /// <summary>Total tokens of a usage report (input + output when the total is missing).</summary>
    internal static long Tokens(UsageDetails? usage) =>
        usage is null ? 0 : Math.Max(0, usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)));
}
