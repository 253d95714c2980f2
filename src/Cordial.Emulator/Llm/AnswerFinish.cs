namespace Cordial.Emulator.Llm;

/// <summary>Why a planned answer ends.</summary>
internal enum AnswerFinish
{
    Stop,
    Length,
    ToolCall,
}
