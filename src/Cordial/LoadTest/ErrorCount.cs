namespace Cordial.LoadTest;

/// <summary>How many answers failed for one reason.</summary>
internal sealed record ErrorCount(string Reason, long Count);
