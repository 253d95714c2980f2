namespace Cordial.Emulator.Llm;

/// <summary>The kinds of error response the wire formats know how to write.</summary>
internal enum LlmErrorKind
{
    InvalidRequest,
    Unauthorized,
    ModelNotFound,
    RateLimited,
    ServerError,
    ContextTooLong,
}
