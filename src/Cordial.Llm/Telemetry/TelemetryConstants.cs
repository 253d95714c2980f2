namespace Cordial.Llm.Telemetry;

/// <summary>Names of the meter, activity source, instruments and tags published by <see cref="TelemetryChatClient"/>.</summary>
public static class TelemetryConstants
{
    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Cordial.Llm";

    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Cordial.Llm";

    /// <summary>Counter: chat requests started.</summary>
    public const string Requests = "cordial.llm.requests";

    /// <summary>Counter: chat requests that failed, tagged with <see cref="ErrorKindTag"/>.</summary>
    public const string Errors = "cordial.llm.errors";

    /// <summary>Histogram (seconds): from the request to the first streamed update.</summary>
    public const string TimeToFirstToken = "cordial.llm.time_to_first_token";

    /// <summary>Histogram (tokens/s): output tokens divided by the generation time after the first token.</summary>
    public const string TokensPerSecond = "cordial.llm.tokens_per_second";

    /// <summary>Counter: input (prompt) tokens reported by the provider.</summary>
    public const string InputTokens = "cordial.llm.tokens.input";

    /// <summary>Counter: output (completion) tokens reported by the provider.</summary>
    public const string OutputTokens = "cordial.llm.tokens.output";

    /// <summary>Histogram (seconds): whole request duration, success or failure.</summary>
    public const string RequestDuration = "cordial.llm.request.duration";

    /// <summary>Counter: retries performed by the resilience stage.</summary>
    public const string Retries = "cordial.llm.retries";

    /// <summary>Counter: circuit breaker transitions, tagged with <see cref="CircuitStateTag"/>.</summary>
    public const string CircuitTransitions = "cordial.llm.circuit.transitions";

    /// <summary>Counter: answers served by a fallback model.</summary>
    public const string Fallbacks = "cordial.llm.fallbacks";

    /// <summary>Counter: tool invocations, tagged with <see cref="ToolTag"/> and <see cref="OutcomeTag"/>.</summary>
    public const string ToolInvocations = "cordial.llm.tool.invocations";

    /// <summary>Tag: the configured provider name.</summary>
    public const string ProviderTag = "provider";

    /// <summary>Tag: the configured model name (the answering one when known).</summary>
    public const string ModelTag = "model";

    /// <summary>Tag: the <see cref="LlmFailureKind"/> of a failure.</summary>
    public const string ErrorKindTag = "error.kind";

    /// <summary>Tag: whether the request was streaming.</summary>
    public const string StreamingTag = "streaming";

    /// <summary>Tag: circuit state entered (open, half_open, closed).</summary>
    public const string CircuitStateTag = "state";

    /// <summary>Tag: tool name.</summary>
    public const string ToolTag = "tool";

    /// <summary>Tag: outcome (success, error, timeout, unknown_tool).</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag value used when the provider or model cannot be resolved.</summary>
    public const string Unknown = "unknown";
}
