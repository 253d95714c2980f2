namespace Cordial.Discord.Tests.Rest;

/// <summary>Turns a limiter's ValueTask into a Task once, so tests can look at it without consuming it twice.</summary>
internal static class Started
{
    public static Task<T> Of<T>(ValueTask<T> acquire) => acquire.AsTask();

    /// <summary>True when the ValueTask had already completed when it was returned (the allocation-free path).</summary>
    public static bool Synchronously<T>(ValueTask<T> acquire) => acquire.IsCompletedSuccessfully;

    /// <summary>The result of a call that completed at once (a grant on the allocation-free path, or a refusal up front).</summary>
    public static T AtOnce<T>(ValueTask<T> call) =>
        call.IsCompletedSuccessfully ? call.Result : throw new Xunit.Sdk.XunitException("The call did not complete at once.");
}
