namespace Cordial.Emulator.Llm;

/// <summary>How the emulated model answers a request that no script matches.</summary>
public enum LlmAnswerMode
{
    /// <summary>Repeats the last user text, prefixed with "You said: ".</summary>
    Echo,

    /// <summary>Answers <see cref="LlmBehavior.FillerTokens"/> deterministic words.</summary>
    Filler,

    /// <summary>
    /// Answers only from scripts (<see cref="LlmEmulator.Script"/>); an unmatched request gets
    /// <see cref="LlmEmulator.NoScriptAnswer"/>.
    /// </summary>
    Scripted,
}
