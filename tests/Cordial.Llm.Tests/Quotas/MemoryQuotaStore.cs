using System.Collections.Concurrent;
using Cordial.Llm.Quotas;

namespace Cordial.Llm.Tests.Quotas;

/// <summary>A thread-safe in-memory <see cref="IQuotaStateStore"/> that records every batch; can be told to fail.</summary>
internal sealed class MemoryQuotaStore : IQuotaStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(QuotaScope, string), QuotaStateEntry> _rows = [];

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public int FailuresToCome { get; set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    public QuotaStateEntry? Get(QuotaScope scope, string key)
    {
        lock (_gate)
        {
            return _rows.TryGetValue((scope, key), out var row) ? row : null;
        }
    }

    public Task<IReadOnlyList<QuotaStateEntry>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<QuotaStateEntry>>(_rows.Values.Where(r => r.IdleAt > now.UtcTicks).ToList());
        }
    }

    public async Task SaveAsync(IReadOnlyList<QuotaStateEntry> changed, DateTimeOffset? pruneBefore, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            if (FailuresToCome > 0)
            {
                FailuresToCome--;
                throw new IOException("store down");
            }

            foreach (var row in changed)
            {
                _rows[(row.Scope, row.Key)] = row;
            }

            if (pruneBefore is { } before)
            {
                foreach (var key in _rows.Where(r => r.Value.IdleAt <= before.UtcTicks).Select(r => r.Key).ToList())
                {
                    _rows.Remove(key);
                }
            }

            BatchSizes.Enqueue(changed.Count);
        }
    }
}
