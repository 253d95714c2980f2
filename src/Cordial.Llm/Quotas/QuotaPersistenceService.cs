using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Quotas;

/// <summary>
/// Restores <see cref="QuotaLedger"/>'s state when the host starts, writes it behind every
/// <see cref="QuotaLedger.FlushInterval"/> while it runs, and writes the rest when it stops. Does nothing when the
/// ledger has no store.
/// </summary>
/// <remarks>
/// Registered by <c>AddCordialLlm</c> before the bot's own services, so the state is back before the first request.
/// A failed restore is logged and the bot starts with empty quotas (quotas never keep the bot from answering).
/// </remarks>
public sealed partial class QuotaPersistenceService(QuotaLedger ledger, ILogger<QuotaPersistenceService>? logger = null) : IHostedService, IDisposable
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (ledger.Store is null)
        {
            return;
        }

        try
        {
            await ledger.RestoreAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRestoreFailed(_logger, ex);
        }

        _loop = ledger.RunWriteBehindAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
        try
        {
            await ledger.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFinalWriteFailed(_logger, ex);
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restoring quota state failed; quotas start empty")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing quota state at stop failed; up to a second of counts is lost")]
    private static partial void LogFinalWriteFailed(ILogger logger, Exception exception);
}
