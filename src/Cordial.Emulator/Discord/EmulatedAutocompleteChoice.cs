namespace Cordial.Emulator.Discord;

/// <summary>One suggestion a bot answered to an autocomplete interaction (callback type 8).</summary>
/// <param name="Name">What the user sees (1–100 characters).</param>
/// <param name="Value">The value the option takes when chosen: string choices as they are, numbers in JSON notation.</param>
public sealed record EmulatedAutocompleteChoice(string Name, string Value);
