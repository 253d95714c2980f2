using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class IdentifyGateTests
{
    [Fact]
    public void One_bucket_spaces_identifies_five_seconds_apart_in_arrival_order()
    {
        var time = new ManualTimeProvider();
        var gate = new IdentifyGate(time, maxConcurrency: 1);
        var ct = TestContext.Current.CancellationToken;

        var first = gate.WaitAsync(0, ct);
        var second = gate.WaitAsync(1, ct);
        var third = gate.WaitAsync(2, ct);
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(second.IsCompleted);
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(third.IsCompleted);
    }

    [Fact]
    public void Buckets_are_shard_id_modulo_max_concurrency()
    {
        var time = new ManualTimeProvider();
        var gate = new IdentifyGate(time, maxConcurrency: 2);
        var ct = TestContext.Current.CancellationToken;

        var shard0 = gate.WaitAsync(0, ct);
        var shard1 = gate.WaitAsync(1, ct);
        var shard2 = gate.WaitAsync(2, ct);
        var shard3 = gate.WaitAsync(3, ct);

        Assert.True(shard0.IsCompleted);
        Assert.True(shard1.IsCompleted);
        Assert.False(shard2.IsCompleted);
        Assert.False(shard3.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(shard2.IsCompleted);
        Assert.True(shard3.IsCompleted);
    }

    [Fact]
    public void A_bucket_idle_for_longer_than_the_interval_identifies_at_once()
    {
        var time = new ManualTimeProvider();
        var gate = new IdentifyGate(time, maxConcurrency: 1);
        var ct = TestContext.Current.CancellationToken;
        Assert.True(gate.WaitAsync(0, ct).IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(gate.WaitAsync(0, ct).IsCompleted);
        Assert.False(gate.WaitAsync(0, ct).IsCompleted);
    }
}
