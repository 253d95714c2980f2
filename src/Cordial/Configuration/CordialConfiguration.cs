namespace Cordial.Configuration;

/// <summary>
/// Where Cordial's configuration comes from, lowest priority first: appsettings.json (next to the executable),
/// cordial.json (in the working directory, next to data/), environment variables (<c>Discord__Token</c>), environment
/// variables with the CORDIAL_ prefix (<c>CORDIAL_Discord__Token</c>), then explicit overrides. The JSON files are
/// watched: Bot:* rules and prompts reload without a restart.
/// </summary>
internal static class CordialConfiguration
{
    /// <summary>The optional per-installation settings file, in the content root.</summary>
    public const string FileName = "cordial.json";

    public static IConfigurationRoot Build(string contentRoot, IEnumerable<KeyValuePair<string, string?>>? overrides = null, bool includeEnvironment = true)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: true)
            .AddJsonFile(Path.Combine(Path.GetFullPath(contentRoot), FileName), optional: true, reloadOnChange: true);
        if (includeEnvironment)
        {
            builder.AddEnvironmentVariables().AddEnvironmentVariables("CORDIAL_");
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
