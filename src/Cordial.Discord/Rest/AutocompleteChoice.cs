using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.Discord.Rest;

/// <summary>
/// One suggestion of an autocomplete result: <see cref="Name"/> is what the user sees, <see cref="Value"/> what the option
/// takes when it is chosen (a string for string options, a number for integer and number options).
/// </summary>
/// <remarks>Discord's limits (checked when sent): name 1–100 characters; a string value 1–100 characters.</remarks>
public sealed class AutocompleteChoice
{
    /// <summary>Longest name, and longest string value.</summary>
    public const int MaxLength = 100;

    /// <summary>A choice for a string option.</summary>
    public AutocompleteChoice(string name, string value)
        : this(name, JsonSerializer.SerializeToElement(value ?? throw new ArgumentNullException(nameof(value)), RestJsonContext.Default.String))
    {
        StringValue = value;
    }

    /// <summary>A choice for an integer option.</summary>
    public AutocompleteChoice(string name, long value)
        : this(name, JsonSerializer.SerializeToElement(value, RestJsonContext.Default.Int64))
    {
    }

    /// <summary>A choice for a number option.</summary>
    public AutocompleteChoice(string name, double value)
        : this(name, JsonSerializer.SerializeToElement(double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), "A choice's value must be a finite number."), RestJsonContext.Default.Double))
    {
    }

    private AutocompleteChoice(string name, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Value = value;
    }

    [JsonPropertyName("name")]
    public string Name { get; }

    [JsonPropertyName("value")]
    public JsonElement Value { get; }

    /// <summary>The value of a string choice (null for numbers).</summary>
    [JsonIgnore]
    internal string? StringValue { get; }

    internal void Validate(int index)
    {
        if (Name.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"Autocomplete choice {index}: the name must be 1 to {MaxLength} characters (got {Name.Length}).");
        }

        if (StringValue is { Length: 0 or > MaxLength })
        {
            throw new ArgumentException($"Autocomplete choice {index}: the value must be 1 to {MaxLength} characters (got {StringValue.Length}).");
        }
    }
}
