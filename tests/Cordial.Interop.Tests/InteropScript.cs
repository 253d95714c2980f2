using System.Reflection;

namespace Cordial.Interop.Tests;

/// <summary>
/// Where the discord.js side lives (tests/interop) and what it needs: node on PATH and the npm packages installed by
/// <c>npm ci --prefix tests/interop</c>. A missing piece fails the test under CI=true and skips it locally.
/// </summary>
internal static class InteropScript
{
    /// <summary>tests/interop, as recorded at build time (the test binaries may live outside the repository).</summary>
    public static string Directory { get; } =
        typeof(InteropScript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CordialInteropDirectory")?.Value
        ?? Path.Combine(Requirement.RepositoryRoot, "tests", "interop");

    public static string ScriptPath => Path.Combine(Directory, "discordjs-bot.mjs");

    /// <summary>Returns the path of node after checking that it and tests/interop/node_modules are present.</summary>
    public static string RequireNodeAndPackages()
    {
        var node = Requirement.FindOnPath("node");
        Requirement.Require(node is not null, "node (Node.js 20 or later on PATH)");
        Requirement.Require(
            File.Exists(Path.Combine(Directory, "node_modules", "discord.js", "package.json")),
            "tests/interop/node_modules with discord.js (run `npm ci --prefix tests/interop`)");
        return node!;
    }

    /// <summary>Checks that the optional native module zlib-sync (discord.js's zlib-stream support) was built.</summary>
    public static void RequireZlibSync() =>
        Requirement.Require(
            File.Exists(Path.Combine(Directory, "node_modules", "zlib-sync", "build", "Release", "zlib_sync.node")),
            "the optional npm module zlib-sync built in tests/interop/node_modules (needs python3, make and a C++ compiler during `npm ci`)");
}
