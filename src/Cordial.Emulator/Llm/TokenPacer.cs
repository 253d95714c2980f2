using Microsoft.AspNetCore.Http;

namespace Cordial.Emulator.Llm;

/// <summary>
/// Paces the streamed units of one response (time to first token, then tokens per second on the injected clock)
/// and plays the mid-stream faults (CutStream, MalformedSse) at the right unit.
/// </summary>
internal sealed class TokenPacer(TimeProvider time, LlmBehavior behavior, LlmFault? fault, HttpContext context, SseWriter writer, string garbage)
{
    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(100);

    private long _start;
    private int _units;
    private bool _garbageSent;

    /// <summary>Waits the time to first token.</summary>
    public async Task FirstTokenAsync(CancellationToken cancellationToken)
    {
        if (behavior.TimeToFirstToken > TimeSpan.Zero)
        {
            await Task.Delay(behavior.TimeToFirstToken, time, cancellationToken);
        }

        _start = time.GetTimestamp();
    }

    /// <summary>Call before writing each unit: waits its turn, or cuts the stream when the fault says so.</summary>
    public async Task BeforeUnitAsync(CancellationToken cancellationToken)
    {
        if (fault is LlmFault.CutStream cut && _units >= cut.AfterTokens)
        {
            await CutAsync(cancellationToken);
        }

        if (fault is LlmFault.MalformedSse && _units == 1)
        {
            await SendGarbageAsync(cancellationToken);
        }

        if (_units > 0 && behavior.TokensPerSecond > 0)
        {
            var due = TimeSpan.FromSeconds(_units / behavior.TokensPerSecond);
            var wait = due - time.GetElapsedTime(_start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        _units++;
    }

    /// <summary>Call before the closing events: plays a fault that the answer was too short to reach.</summary>
    public async Task BeforeFinishAsync(CancellationToken cancellationToken)
    {
        if (fault is LlmFault.CutStream)
        {
            await CutAsync(cancellationToken);
        }

        if (fault is LlmFault.MalformedSse)
        {
            await SendGarbageAsync(cancellationToken);
        }
    }

    /// <summary>Total time a non-streamed answer of <paramref name="units"/> units takes.</summary>
    public static TimeSpan Duration(LlmBehavior behavior, int units) =>
        behavior.TimeToFirstToken + (behavior.TokensPerSecond > 0 && units > 1
            ? TimeSpan.FromSeconds((units - 1) / behavior.TokensPerSecond)
            : TimeSpan.Zero);

    private async Task SendGarbageAsync(CancellationToken cancellationToken)
    {
        if (_garbageSent)
        {
            return;
        }

        _garbageSent = true;
        await writer.SendRawAsync(garbage, cancellationToken);
    }

    private async Task CutAsync(CancellationToken cancellationToken)
    {
        await context.Response.BodyWriter.FlushAsync(cancellationToken);

        // An abortive close can discard bytes the client has not read yet; give it a moment (real time, not the
        // emulator clock) so the tokens before the cut reach it, then drop the connection mid-body.
        await Task.Delay(CutGrace, cancellationToken);
        context.Abort();
        throw new StreamCutException();
    }
}
