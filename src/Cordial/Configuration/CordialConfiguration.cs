using Microsoft.Extensions.FileProviders;

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
        var builder = new ConfigurationBuilder();
        AddWatchedJsonFile(builder, AppContext.BaseDirectory, "appsettings.json");
        AddWatchedJsonFile(builder, Path.GetFullPath(contentRoot), FileName);
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

    /// <summary>
    /// An optional JSON file reloaded when it changes, noticed by polling its time stamp (every 4 seconds) instead of a
    /// file-system watcher: that watcher covers the file's whole directory tree — the data directory too, where every
    /// database write became an event to process, and one inotify watch per subdirectory when started from a large one.
    /// </summary>
    /// <remarks>The file provider lives as long as the process (one configuration per process); it is not disposed.</remarks>
    private static void AddWatchedJsonFile(ConfigurationBuilder builder, string directory, string fileName)
    {
        if (!Directory.Exists(directory))
        {
            return; // nothing to read or watch: the file is optional
        }

        builder.AddJsonFile(source =>
        {
            source.FileProvider = new PhysicalFileProvider(directory) { UsePollingFileWatcher = true, UseActivePolling = true };
            source.Path = fileName;
            source.Optional = true;
            source.ReloadOnChange = true;
        });
    }
}
