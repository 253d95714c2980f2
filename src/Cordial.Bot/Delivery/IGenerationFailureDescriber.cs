namespace Cordial.Bot.Delivery;

/// <summary>
/// Turns an exception thrown by the model's stream into the short sentence shown at the end of a failed reply.
/// The default knows only BCL exceptions; the host may register one that understands its provider exceptions.
/// </summary>
/// <remarks>The sentence is shown publicly: never include secrets, prompts or raw provider bodies. Thread-safe.</remarks>
public interface IGenerationFailureDescriber
{
    /// <summary>A short, clear sentence, e.g. "The model took too long to answer."</summary>
    string Describe(Exception exception);
}
