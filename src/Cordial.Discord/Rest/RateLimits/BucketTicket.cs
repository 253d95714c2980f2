namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// Permission to send one request through a <see cref="RouteBucket"/>. <see cref="Bucket"/> is null when the
/// bucket was retired while the caller waited: the caller resolves its route again.
/// </summary>
/// <remarks><see cref="Provisional"/>: granted while the bucket's hash was unknown (counted in <see cref="ProvisionalRequestCounter"/>).</remarks>
internal readonly record struct BucketTicket(RouteBucket? Bucket, int Epoch, bool Probe, bool Provisional = false)
{
    public bool IsRetired => Bucket is null;
}
