namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// What known and unknown buckets of one channel or guild (one major parameter; striped, fixed size) must tell each
/// other, because a route whose bucket is not known yet may belong to any bucket of its major:
/// <list type="bullet">
/// <item>requests in flight on unlearned routes: every known bucket of that major keeps one token back for each;</item>
/// <item>until when a known bucket of that major is empty: an unlearned route's first request waits until then.</item>
/// </list>
/// Stripes may collide; that only makes us more careful.
/// </summary>
/// <remarks>Thread-safe, lock-free, fixed memory.</remarks>
internal sealed class ProvisionalRequestCounter
{
    /// <summary>
    /// Stripes: 8,192 (96 KiB). With 1,024, a 1,000-channel load test found most stripes holding some busy channel's
    /// empty bucket, so a channel's first read waited seconds for channels it has nothing to do with.
    /// </summary>
    internal const int StripeCount = 8192;

    private readonly int[] _stripes = new int[StripeCount];
    private readonly long[] _exhaustedUntil = new long[StripeCount];

    /// <summary>The stripe of a major no other route shares (an interaction's callback): it takes part in nothing.</summary>
    public const int NoStripe = -1;

    /// <summary>
    /// The stripe of a major parameter's value. An interaction callback's major belongs to that one route, so it gets
    /// <see cref="NoStripe"/>: sharing a stripe with a busy channel made acknowledgements wait for that channel's bucket
    /// to reset — seconds, past Discord's 3-second deadline (seen in the load test as expired /chat commands).
    /// </summary>
    public static int StripeOf(string major) =>
        major is not null && major.StartsWith(Route.InteractionMajorPrefix, StringComparison.Ordinal)
            ? NoStripe
            : (int)((uint)StringComparer.Ordinal.GetHashCode(major ?? "") % StripeCount);

    public int Read(int stripe) => stripe == NoStripe ? 0 : Volatile.Read(ref _stripes[stripe]);

    public void Increment(int stripe)
    {
        if (stripe != NoStripe)
        {
            Interlocked.Increment(ref _stripes[stripe]);
        }
    }

    public void Decrement(int stripe)
    {
        if (stripe != NoStripe)
        {
            Interlocked.Decrement(ref _stripes[stripe]);
        }
    }

    /// <summary>The latest reset timestamp of an empty known bucket on this stripe (0 when none was recorded).</summary>
    public long ExhaustedUntil(int stripe) => stripe == NoStripe ? 0 : Volatile.Read(ref _exhaustedUntil[stripe]);

    /// <summary>Records that a known bucket on this stripe is empty until <paramref name="until"/> (keeps the latest).</summary>
    public void MarkExhausted(int stripe, long until)
    {
        if (stripe == NoStripe)
        {
            return;
        }

        var current = Volatile.Read(ref _exhaustedUntil[stripe]);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref _exhaustedUntil[stripe], until, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
