namespace Cordial.LoadTest;

/// <summary>Per-second counts from the start of the run: messages sent, answers completed, answers in flight (sampled). Thread-safe, bounded.</summary>
internal sealed class Timeline(TimeProvider time, long startTimestamp, int maxSeconds)
{
    private readonly long[] _sent = new long[maxSeconds];
    private readonly long[] _completed = new long[maxSeconds];
    private readonly long[] _failed = new long[maxSeconds];
    private readonly int[] _inFlight = Enumerable.Repeat(-1, maxSeconds).ToArray(); // -1: no sample in that second
    private int _lastSecond = -1;

    public int SecondNow() => (int)Math.Floor(time.GetElapsedTime(startTimestamp).TotalSeconds);

    public void Sent() => Count(_sent);

    public void Completed() => Count(_completed);

    public void Failed() => Count(_failed);

    public void SampleInFlight(int inFlight)
    {
        var second = SecondNow();
        if (second >= 0 && second < _inFlight.Length)
        {
            Volatile.Write(ref _inFlight[second], inFlight);
            InterlockedMax(second);
        }
    }

    public IReadOnlyList<TimelinePoint> Points()
    {
        var last = Math.Min(Volatile.Read(ref _lastSecond), _sent.Length - 1);
        var points = new List<TimelinePoint>(last + 1);
        var inFlight = 0;
        for (var s = 0; s <= last; s++)
        {
            // A second the sampler missed (a late tick on a busy machine) repeats the previous sample.
            var sampled = Volatile.Read(ref _inFlight[s]);
            inFlight = sampled >= 0 ? sampled : inFlight;
            points.Add(new TimelinePoint(s, Interlocked.Read(ref _sent[s]), Interlocked.Read(ref _completed[s]), Interlocked.Read(ref _failed[s]), inFlight));
        }

        return points;
    }

    private void Count(long[] counts)
    {
        var second = SecondNow();
        if (second >= 0 && second < counts.Length)
        {
            Interlocked.Increment(ref counts[second]);
            InterlockedMax(second);
        }
    }

    private void InterlockedMax(int second)
    {
        int seen;
        while ((seen = Volatile.Read(ref _lastSecond)) < second && Interlocked.CompareExchange(ref _lastSecond, second, seen) != seen)
        {
        }
    }
}
