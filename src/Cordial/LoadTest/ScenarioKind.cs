namespace Cordial.LoadTest;

/// <summary>What a simulated user does next.</summary>
internal enum ScenarioKind
{
    /// <summary>Mentions the bot (sometimes as a reply to one of its earlier answers).</summary>
    Mention,

    /// <summary>Runs the /chat slash command.</summary>
    Slash,

    /// <summary>Mentions the bot with an image attached.</summary>
    Image,
}
