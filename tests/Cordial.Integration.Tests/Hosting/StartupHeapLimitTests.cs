using System.Collections;
using System.Net.Http.Json;
using System.Text.Json;
using Cordial.Hosting;

namespace Cordial.Integration.Tests.Hosting;

/// <summary>Every cordial process starts with a small heap limit (so the GC sizes a small young generation) and lifts it
/// at once, unless the operator chose a limit.</summary>
public sealed class StartupHeapLimitTests
{
    private const string StartupLimit = "134217728";

    private static Func<string, object?> Runtime(string? startup, string? runtimeLimit) => name => name switch
    {
        StartupHeapLimit.StartupLimitProperty => startup,
        "System.GC.HeapHardLimit" => runtimeLimit,
        _ => null,
    };

    [Fact]
    public void The_start_up_limit_is_lifted_when_nobody_else_set_one()
    {
        var lifted = 0;
        var error = new StringWriter();

        Assert.True(StartupHeapLimit.Lift(Runtime(StartupLimit, StartupLimit), new Hashtable { ["PATH"] = "/usr/bin" }, () => lifted++, error));

        Assert.Equal(1, lifted);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("DOTNET_GCHeapHardLimit")]
    [InlineData("DOTNET_GCHeapHardLimitPercent")]
    [InlineData("COMPlus_GCHeapHardLimitSOH")]
    [InlineData("dotnet_gcheaphardlimit")]
    public void A_limit_from_the_environment_is_kept(string variable)
    {
        var lifted = 0;

        Assert.False(StartupHeapLimit.Lift(Runtime(StartupLimit, StartupLimit), new Hashtable { [variable] = "0xC800000" }, () => lifted++, TextWriter.Null));

        Assert.Equal(0, lifted);
    }

    [Theory]
    [InlineData(StartupLimit, "209715200")] // the operator edited cordial.runtimeconfig.json
    [InlineData(null, StartupLimit)]        // a build without the start-up limit
    [InlineData(null, null)]
    public void Only_the_start_up_limit_itself_is_lifted(string? startup, string? runtimeLimit)
    {
        var lifted = 0;

        Assert.False(StartupHeapLimit.Lift(Runtime(startup, runtimeLimit), new Hashtable(), () => lifted++, TextWriter.Null));

        Assert.Equal(0, lifted);
    }

    [Fact]
    public void A_limit_that_cannot_be_lifted_is_reported_and_the_process_goes_on()
    {
        var error = new StringWriter();

        var lifted = StartupHeapLimit.Lift(
            Runtime(StartupLimit, StartupLimit), new Hashtable(), () => throw new InvalidOperationException("The limit is invalid."), error);

        Assert.False(lifted);
        Assert.Contains("could not be lifted: The limit is invalid.", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("DOTNET_GCHeapHardLimit", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_executable_starts_with_the_limit_it_lifts()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cordial.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(StartupLimit, properties.GetProperty("System.GC.HeapHardLimit").ToString());
        Assert.Equal(StartupLimit, properties.GetProperty(StartupHeapLimit.StartupLimitProperty).ToString());
        Assert.True(properties.GetProperty("System.GC.RegionRange").ToString().Length > 0);
    }

    [Theory]
    [InlineData(null, 134217728L, false)]        // lifted: whatever the runtime chooses by itself, not the start-up limit
    [InlineData("0xC800000", 209715200L, true)]  // the operator's limit, kept
    public async Task The_running_bot_has_the_heap_limit_it_should(string? environmentLimit, long limit, bool expected)
    {
        using var data = new TempDirectory();
        using var sandbox = SandboxProcess.Start(data.Path, environment =>
        {
            environment.Remove("DOTNET_GCHeapHardLimit");
            if (environmentLimit is not null)
            {
                environment["DOTNET_GCHeapHardLimit"] = environmentLimit;
            }
        });
        var page = await sandbox.WaitUntilRunningAsync();

        using var http = new HttpClient();
        using var stats = await http.GetFromJsonAsync<JsonDocument>(new Uri(page, "/stats"), TestContext.Current.CancellationToken);
        var actual = stats!.RootElement.GetProperty("process").GetProperty("gcHeapHardLimitBytes").GetInt64();

        Assert.Equal(expected, actual == limit);
    }
}
