using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Cordial.Llm.Pipeline;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Coalescing;

/// <summary>
/// One upstream call shared by every identical request (its waiters). Each waiter of a streaming call reads the whole
/// stream from the start, whenever it joined; a non-streaming call shares its response.
/// </summary>
/// <remarks>
/// <para>
/// A streaming call keeps what it has said so far as a history whose plain text deltas are merged into runs (as the
/// cache records a stream), and hands each new update to the waiters attached at that moment: a waiter that joins late
/// reads the history (the same text, in fewer updates), then the live updates. The streamed update objects are held
/// only until every attached waiter has taken them, so they die young: buffered for the whole answer, they were most
/// of what survived a gen0 collection at 1,000 users (docs/PERFORMANCE.md, sixth session).
/// </para>
/// <para>
/// The upstream call runs under its own token: it is cancelled only when the last waiter leaves before it
/// completed. Thread-safe; the lock is never held across an await or while calling out.
/// </para>
/// </remarks>
internal sealed class InFlightCall
{
    private readonly Lock _gate = new();
    private readonly UpdateRecorder _history = new(); // every update so far, text runs merged: what a later joiner reads first
    private readonly List<Place> _places = []; // one per attached waiter (streaming or not): its place in the stream
    private readonly CancellationTokenSource _upstream = new();
    private readonly TaskCompletionSource<ChatResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<InFlightCall> _detach;
    private readonly int _maxBuffered;
    // Completed outside the lock; a waiting reader continues on the pump's thread (no thread-pool hop per update).
    private TaskCompletionSource _changed = new();
    private int _appended;
    private bool _joinable = true;
    private bool _completed;
    private ExceptionDispatchInfo? _error;

    public InFlightCall(CoalescingKey key, int maxBuffered, Action<InFlightCall> detach)
    {
        Key = key;
        _maxBuffered = maxBuffered;
        _detach = detach;
    }

    public CoalescingKey Key { get; }

    /// <summary>Waiters currently attached.</summary>
    public int Waiters
    {
        get
        {
            lock (_gate)
            {
                return _places.Count;
            }
        }
    }

    /// <summary>The shared response of a non-streaming call.</summary>
    public Task<ChatResponse> Response => _response.Task;

    /// <summary>
    /// Attaches a waiter: its place in the stream, which holds the history so far and gets every later update; null
    /// when the call no longer accepts waiters (completed, abandoned, past <c>maxBuffered</c> updates).
    /// </summary>
    public Place? TryJoin()
    {
        lock (_gate)
        {
            if (!_joinable)
            {
                return null;
            }

            var place = new Place(_appended == 0 ? [] : _history.Snapshot());
            _places.Add(place);
            return place;
        }
    }

    /// <summary>Detaches a waiter; the last one leaving an unfinished call cancels the upstream call.</summary>
    public void Leave(Place place)
    {
        bool abandon;
        lock (_gate)
        {
            _places.Remove(place);
            place.Pending.Clear();
            abandon = _places.Count == 0 && !_completed;
            if (abandon)
            {
                _joinable = false;
            }
        }

        if (abandon)
        {
            _detach(this);
            try
            {
                _upstream.Cancel();
            }
            catch (AggregateException)
            {
                // A cancellation callback of the upstream failed; the call is abandoned anyway.
            }
        }
    }

    /// <summary>Runs the upstream stream, buffering its updates for the waiters.</summary>
    public async Task PumpAsync(Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> start)
    {
        Exception? failure = null;
        try
        {
            // No yield first: the request goes out on the first waiter's thread (a hop through the thread pool queue cost
            // a third of a millisecond under load); the waiter reads once the upstream awaits its first I/O.
            var token = _upstream.Token;
            await foreach (var update in start(token).WithCancellation(token))
            {
                Append(update);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        Complete(failure);
    }

    /// <summary>Runs the upstream non-streaming call and shares its response (or failure).</summary>
    public async Task RunAsync(Func<CancellationToken, Task<ChatResponse>> start)
    {
        try
        {
            var response = await start(_upstream.Token);
            Complete(null);
            _response.TrySetResult(response);
        }
        catch (OperationCanceledException ex)
        {
            Complete(ex);
            _response.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            Complete(ex);
            _response.TrySetException(ex);
        }
    }

    /// <summary>
    /// The stream from <paramref name="place"/> on (from the start: the history when it joined, then every update as
    /// it comes, the objects themselves), then its end or its failure.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(Place place, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One registration per reader, not one per wait (a cancellable wait per streamed update cost a promise and a
        // registration each): cancelling wakes the waiting readers, which look again, and this one leaves.
        using var wake = cancellationToken.UnsafeRegister(static call => ((InFlightCall)call!).Wake(), this);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ChatResponseUpdate? item = null;
            Task? wait = null;
            ExceptionDispatchInfo? error = null;
            var done = false;
            lock (_gate)
            {
                if (place.Pending.TryDequeue(out var pending))
                {
                    item = pending;
                }
                else if (_completed)
                {
                    done = true;
                    error = _error;
                }
                else
                {
                    wait = _changed.Task;
                }
            }

            if (item is not null)
            {
                // Shared, not copied: every stage above coalescing only reads updates, and a copy per waiter per token
                // was one object in ten the bot allocated at 1,000 users (docs/PERFORMANCE.md, sixth session).
                yield return item;
            }
            else if (done)
            {
                error?.Throw();
                yield break;
            }
            else
            {
                await wait!;
            }
        }
    }

    /// <summary>Wakes every waiting reader without news (a reader's cancellation).</summary>
    private void Wake()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource();
        }

        changed.TrySetResult();
    }

    private void Append(ChatResponseUpdate update)
    {
        TaskCompletionSource changed;
        var detach = false;
        lock (_gate)
        {
            _history.Add(update);
            _appended++;
            foreach (var place in _places)
            {
                place.Pending.Enqueue(update);
            }

            if (_joinable && _appended >= _maxBuffered)
            {
                _joinable = false;
                detach = true;
            }

            changed = _changed;
            _changed = new TaskCompletionSource();
        }

        if (detach)
        {
            _detach(this);
        }

        changed.TrySetResult();
    }

    private void Complete(Exception? failure)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _completed = true;
            _joinable = false;
            _error = failure is null ? null : ExceptionDispatchInfo.Capture(failure);
            changed = _changed;
        }

        _detach(this);
        changed.TrySetResult();

        // _upstream is deliberately not disposed: it has no timer, and a waiter leaving at this very moment may
        // still call Cancel on it (Cancel and Dispose must not race).
    }

    /// <summary>One waiter's place in a streaming call: the updates it has not taken yet. Guarded by the call's lock.</summary>
    internal sealed class Place(IEnumerable<ChatResponseUpdate> history)
    {
        public Queue<ChatResponseUpdate> Pending { get; } = new(history);
    }
}
