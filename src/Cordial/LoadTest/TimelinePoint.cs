namespace Cordial.LoadTest;

/// <summary>One second of the run: messages sent, answers completed and failed during it, answers in flight at its end.</summary>
internal sealed record TimelinePoint(int Second, long Sent, long Completed, long Failed, int InFlight);
