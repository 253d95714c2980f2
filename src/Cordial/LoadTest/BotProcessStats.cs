namespace Cordial.LoadTest;

/// <summary>The bot's own process figures from /stats.</summary>
internal sealed record BotProcessStats(
    double CpuSeconds,
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    long GcGen0,
    long GcGen1,
    long GcGen2,
    double GcPauseMs,
    long AllocatedBytes,
    long ThreadPoolThreads,
    long GcHeapHardLimitBytes);
