namespace Cordial.Testing;

/// <summary>
/// External things a test needs (node, PostgreSQL, chromium). Under CI=true a missing one fails the
/// test; locally it skips with the reason, as the project's rules ask.
/// </summary>
public static class Requirement
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails (CI) or skips (locally) the current test when <paramref name="available"/> is false.</summary>
    public static void Require(bool available, string what)
    {
        if (available)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail($"{what} is required under CI=true but was not found.");
        }

        Assert.Skip($"{what} not found; skipped locally (CI=true makes this a failure).");
    }

    /// <summary>Returns the full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The repository root (the folder holding Directory.Packages.props), found from the test binaries, the current
    /// directory or this source file — build output may live outside the repository (CORDIAL_ARTIFACTS).
    /// </summary>
    public static string RepositoryRoot => FindRepositoryRoot(AppContext.BaseDirectory)
        ?? FindRepositoryRoot(Environment.CurrentDirectory)
        ?? FindRepositoryRoot(SourceDirectory())
        ?? throw new InvalidOperationException("Repository root not found from " + AppContext.BaseDirectory);

    private static string? FindRepositoryRoot(string? start)
    {
        for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path);
}
