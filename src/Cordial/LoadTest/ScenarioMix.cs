using System.Globalization;

namespace Cordial.LoadTest;

/// <summary>
/// The weights of the scenario kinds, parsed from <c>mention=70,slash=20,image=10</c> (kinds left out weigh 0). A sample
/// maps a uniform number in [0, 1) onto the kinds in proportion to their weights.
/// </summary>
internal sealed class ScenarioMix
{
    public static ScenarioMix Default { get; } = new(70, 20, 10);

    public ScenarioMix(int mention, int slash, int image)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mention);
        ArgumentOutOfRangeException.ThrowIfNegative(slash);
        ArgumentOutOfRangeException.ThrowIfNegative(image);
        if (mention + slash + image == 0)
        {
            throw new ArgumentException("At least one weight must be positive.");
        }

        Mention = mention;
        Slash = slash;
        Image = image;
    }

    public int Mention { get; }

    public int Slash { get; }

    public int Image { get; }

    public int Total => Mention + Slash + Image;

    /// <summary>Parses <c>name=weight</c> pairs separated by commas; throws <see cref="FormatException"/> naming --mix.</summary>
    public static ScenarioMix Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("--mix needs a value such as mention=70,slash=20,image=10.");
        }

        var weights = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq].Trim();
            if (name is not ("mention" or "slash" or "image"))
            {
                throw new FormatException($"--mix: unknown kind '{name}' (known: mention, slash, image).");
            }

            if (eq < 0 || !int.TryParse(pair[(eq + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 1_000_000)
            {
                throw new FormatException($"--mix: '{pair}' must be {name}=<whole number from 0 to 1000000>.");
            }

            if (!weights.TryAdd(name, weight))
            {
                throw new FormatException($"--mix: '{name}' is given twice.");
            }
        }

        var mention = weights.GetValueOrDefault("mention");
        var slash = weights.GetValueOrDefault("slash");
        var image = weights.GetValueOrDefault("image");
        if (mention + slash + image == 0)
        {
            throw new FormatException("--mix: at least one weight must be above 0.");
        }

        return new ScenarioMix(mention, slash, image);
    }

    /// <summary>The kind for <paramref name="uniform"/>, a number in [0, 1).</summary>
    public ScenarioKind Sample(double uniform)
    {
        if (uniform is < 0 or >= 1 || double.IsNaN(uniform))
        {
            throw new ArgumentOutOfRangeException(nameof(uniform), uniform, "Must be in [0, 1).");
        }

        var point = uniform * Total;
        if (point < Mention)
        {
            return ScenarioKind.Mention;
        }

        return point < Mention + Slash ? ScenarioKind.Slash : ScenarioKind.Image;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"mention={Mention},slash={Slash},image={Image}");
}
