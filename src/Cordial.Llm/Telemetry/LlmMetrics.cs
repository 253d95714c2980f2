using System.Diagnostics.Metrics;

namespace Cordial.Llm.Telemetry;

/// <summary>
/// The instruments every stage records into, created once from one <see cref="Meter"/> named
/// <see cref="TelemetryConstants.MeterName"/>. Stages find it through the service provider; when none is
/// registered each stage creates (and owns) its own.
/// </summary>
/// <remarks>Thread-safe. Disposing it disposes the meter only when this instance created it.</remarks>
public sealed class LlmMetrics : IDisposable
{
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a private meter when null.</summary>
    public LlmMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            Meter = new Meter(TelemetryConstants.MeterName);
            _ownsMeter = true;
        }
        else
        {
            Meter = meterFactory.Create(new MeterOptions(TelemetryConstants.MeterName));
        }

        Requests = Meter.CreateCounter<long>(TelemetryConstants.Requests, "{request}", "Chat requests started.");
        Errors = Meter.CreateCounter<long>(TelemetryConstants.Errors, "{request}", "Chat requests that failed, by kind.");
        TimeToFirstToken = Meter.CreateHistogram<double>(TelemetryConstants.TimeToFirstToken, "s", "Time from request to the first streamed update.");
        TokensPerSecond = Meter.CreateHistogram<double>(TelemetryConstants.TokensPerSecond, "{token}/s", "Output tokens per second of generation.");
        InputTokens = Meter.CreateCounter<long>(TelemetryConstants.InputTokens, "{token}", "Input tokens reported by providers.");
        OutputTokens = Meter.CreateCounter<long>(TelemetryConstants.OutputTokens, "{token}", "Output tokens reported by providers.");
        RequestDuration = Meter.CreateHistogram<double>(TelemetryConstants.RequestDuration, "s", "Chat request duration.");
        Retries = Meter.CreateCounter<long>(TelemetryConstants.Retries, "{retry}", "Retries performed before the first token.");
        CircuitTransitions = Meter.CreateCounter<long>(TelemetryConstants.CircuitTransitions, "{transition}", "Circuit breaker state changes.");
        Fallbacks = Meter.CreateCounter<long>(TelemetryConstants.Fallbacks, "{request}", "Answers served by a fallback model.");
        ToolInvocations = Meter.CreateCounter<long>(TelemetryConstants.ToolInvocations, "{call}", "Tool invocations by outcome.");
    }

    public Meter Meter { get; }

    public Counter<long> Requests { get; }

    public Counter<long> Errors { get; }

    public Histogram<double> TimeToFirstToken { get; }

    public Histogram<double> TokensPerSecond { get; }

    public Counter<long> InputTokens { get; }

    public Counter<long> OutputTokens { get; }

    public Histogram<double> RequestDuration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> CircuitTransitions { get; }

    public Counter<long> Fallbacks { get; }

    public Counter<long> ToolInvocations { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
