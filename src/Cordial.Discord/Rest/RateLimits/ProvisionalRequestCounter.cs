namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// Requests in flight on routes whose bucket is not known yet, counted per major parameter (striped, fixed size).
/// Such a request may belong to any bucket of its channel or guild, so every known bucket of that major keeps
/// one token back for each of them until it is answered. Stripes may collide; that only makes us more careful.
/// </summary>
/// <remarks>Thread-safe, lock-free, fixed memory.</remarks>
internal sealed class ProvisionalRequestCounter
{
    private const int StripeCount = 1024;

    private readonly int[] _stripes = new int[StripeCount];

    public static int StripeOf(string major) =>
        (int)((uint)StringComparer.Ordinal.GetHashCode(major ?? "") % StripeCount);

    public int Read(int stripe) => Volatile.Read(ref _stripes[stripe]);

    public void Increment(int stripe) => Interlocked.Increment(ref _stripes[stripe]);

    public void Decrement(int stripe) => Interlocked.Decrement(ref _stripes[stripe]);
}
