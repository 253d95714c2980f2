namespace Cordial.Testing;

/// <summary>
/// Polls a condition until it holds. Used for behaviour that crosses sockets; the timeout only bounds a
/// failing test and is never an assertion about speed.
/// </summary>
public static class Eventually
{
    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => ValueTask.FromResult(probe()), done, what, timeout);

    /// <summary>Polls an asynchronous probe (such as a store read) until <paramref name="done"/> holds for its value.</summary>
    public static async Task<T> UntilAsync<T>(Func<ValueTask<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}. Last value: {value}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, static v => v, what, timeout);
}
