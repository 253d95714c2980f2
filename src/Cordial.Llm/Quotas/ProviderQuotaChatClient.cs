using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Quotas;

/// <summary>
/// Enforces the provider quotas of <see cref="QuotaLedger"/> for each model attempt: the request's model
/// (<see cref="ChatOptions.ModelId"/>, a configured model name) is mapped to its provider with
/// <see cref="ResolveProvider"/>, one request is counted against that provider before the call and the tokens it
/// used are charged after.
/// </summary>
/// <remarks>
/// <para>
/// Sits inside the fallback stage and outside the resilience stage: a provider whose quota is used up refuses with
/// <see cref="LlmFailureKind.QuotaExceeded"/> before anything is sent, so the fallback stage moves on to the next
/// model (whose provider may have room) and the resilience stage neither retries it nor counts it against the
/// provider's circuit. A retry inside the resilience stage is not counted again; every tool round is.
/// </para>
/// <para>Thread-safe. Caller options are never modified; messages are enumerated once (they are passed through).</para>
/// </remarks>
public sealed class ProviderQuotaChatClient : DelegatingChatClient
{
    public ProviderQuotaChatClient(IChatClient innerClient, QuotaLedger ledger)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Ledger = ledger;
    }

    /// <summary>The shared state.</summary>
    public QuotaLedger Ledger { get; }

    /// <summary>Maps a request's model name (null = the default model) to its configured provider name; null = not limited.</summary>
    /// <value>Default: no provider (nothing is limited).</value>
    public Func<string?, string?> ResolveProvider { get; set; } = static _ => null;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Ledger.LimitsProviders ? GetLimitedResponseAsync(messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);
    }

    private async Task<ChatResponse> GetLimitedResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var provider = Acquire(options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (provider is not null)
        {
            Ledger.ChargeProviderTokens(provider, QuotaChatClient.Tokens(response.Usage));
        }

        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Ledger.LimitsProviders ? StreamAsync(messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var provider = Acquire(options);
        long tokens = 0;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).WithCancellation(cancellationToken))
            {
                tokens += QuotaChatClient.Tokens(update);
                yield return update;
            }
        }
        finally
        {
            if (provider is not null)
            {
                Ledger.ChargeProviderTokens(provider, tokens);
            }
        }
    }

    /// <summary>Counts the request against its provider; throws when the provider's quota is used up.</summary>
    private string? Acquire(ChatOptions? options)
    {
        if (!Ledger.LimitsProviders)
        {
            return null;
        }

        string? provider;
        try
        {
            provider = ResolveProvider(options?.ModelId);
        }
        catch (LlmProviderException)
        {
            return null; // an unknown model: the stages below report it
        }

        if (provider is null)
        {
            return null;
        }

        if (!Ledger.TryAcquireProvider(provider, out var refusal))
        {
            throw refusal.ToException(provider, options?.ModelId);
        }

        return provider;
    }
}
