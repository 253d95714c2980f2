using System.Collections;

namespace Cordial.Hosting;

/// <summary>
/// Lifts the heap limit every <c>cordial</c> process starts with. The GC sizes its young generation once, at start,
/// from the memory it may use; on a machine with gigabytes it picks a gen0 budget of about four fifths of the L3 cache
/// (26 MB here), which a bot holding a thousand waiting replies commits on top of them. Cordial.csproj therefore starts
/// the runtime with a 128 MiB heap hard limit (a gen0 budget of about 13 MB, 2 vCPU and 32 MB of L3 measured) and a
/// region range as large as an unlimited heap's, and this removes the limit before the program does anything else:
/// the process keeps the smaller young generation and may grow as it would have without the limit (or to the
/// container's limit, which the runtime applies as usual). At 1,000 users the GC committed 48-52 instead of 57-60 MB
/// through the burst and the peak RSS was 3-4 MB lower in 60 s runs, 4-10 MB in 40 s runs (docs/PERFORMANCE.md, tenth
/// session).
/// </summary>
/// <remarks>
/// A limit the operator sets (any <c>DOTNET_GCHeapHardLimit*</c> or <c>COMPlus_GCHeapHardLimit*</c> variable, or a
/// <c>System.GC.HeapHardLimit</c> in cordial.runtimeconfig.json other than the start-up one) is left as it is.
/// </remarks>
internal static class StartupHeapLimit
{
    /// <summary>The runtimeconfig property Cordial.csproj sets to the start-up limit (bytes).</summary>
    internal const string StartupLimitProperty = "Cordial.StartupHeapLimit";

    private const string RuntimeLimitProperty = "System.GC.HeapHardLimit";

    /// <summary>What <see cref="GC.RefreshMemoryLimit"/> reads: 0 means "no limit of our own".</summary>
    private const string RefreshLimitData = "GCHeapHardLimit";

    /// <summary>Removes the start-up limit, unless an operator chose one. Failures are reported on
    /// <paramref name="error"/>, never thrown: the process runs on, with the limit it has.</summary>
    public static void Lift(TextWriter error) =>
        Lift(AppContext.GetData, Environment.GetEnvironmentVariables(), RemoveLimit, error);

    internal static bool Lift(Func<string, object?> runtimeData, IDictionary environment, Action removeLimit, TextWriter error)
    {
        if (!ShouldLift(runtimeData, environment))
        {
            return false;
        }

        try
        {
            removeLimit();
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or PlatformNotSupportedException)
        {
            error.WriteLine(
                $"cordial: the start-up GC heap limit ({runtimeData(RuntimeLimitProperty)} bytes) could not be lifted: {ex.Message} "
                + "Set DOTNET_GCHeapHardLimit to the limit you want (docs/OPERATIONS.md).");
            return false;
        }
    }

    private static void RemoveLimit()
    {
        AppContext.SetData(RefreshLimitData, 0UL);
        GC.RefreshMemoryLimit();
    }

    /// <summary>True when the runtime runs with Cordial's start-up limit and no operator asked for a limit.</summary>
    internal static bool ShouldLift(Func<string, object?> runtimeData, IDictionary environment)
    {
        var startup = runtimeData(StartupLimitProperty) as string;
        if (string.IsNullOrEmpty(startup) || !string.Equals(startup, runtimeData(RuntimeLimitProperty) as string, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && IsHeapLimitVariable(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHeapLimitVariable(string name) =>
        name.StartsWith("DOTNET_GCHeapHardLimit", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("COMPlus_GCHeapHardLimit", StringComparison.OrdinalIgnoreCase);
}
