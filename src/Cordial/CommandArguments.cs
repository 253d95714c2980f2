using System.Globalization;

namespace Cordial;

/// <summary>Options after the verb: <c>--name value</c> pairs and bare <c>--flag</c>s.</summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _values;

    private CommandArguments(Dictionary<string, string?> values) => _values = values;

    public static CommandArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new FormatException($"unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            values[name] = value;
        }

        return new CommandArguments(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The option names given, without their leading dashes.</summary>
    public IEnumerable<string> Names => _values.Keys;

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    public int GetInt32(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"--{name} must be a whole number from {min} to {max}, not '{text}'.");
        }

        return value;
    }
}
