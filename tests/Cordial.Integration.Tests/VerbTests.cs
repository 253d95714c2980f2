using System.Text;

namespace Cordial.Integration.Tests;

/// <summary>The `cordial run` and `cordial sandbox` verbs, in process.</summary>
public sealed class VerbTests
{
    /// <summary>A TextWriter the test can read while the verb still runs.</summary>
    private sealed class SharedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }

            return Task.CompletedTask;
        }

        public override Encoding Encoding => Encoding.UTF8;
    }

    [Fact]
    public async Task Run_with_an_invalid_configuration_prints_every_problem_and_starts_nothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = "abc.def",
            ["Discord:EventTimeout"] = "00:00:00",
            ["Storage:Provider"] = "postgres",
        }).Build();
        using var output = new SharedWriter();
        using var error = new SharedWriter();

        using var root = new TempDirectory();
        var exit = await RunVerb.RunAsync(CommandArguments.Parse([]), configuration, root.Path, output, error, TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Contains("Discord:EventTimeout", error.Text, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString", error.Text, StringComparison.Ordinal);
        Assert.Contains("Llm:Providers", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def", error.Text + output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_without_a_token_starts_the_sandbox_prints_its_address_and_stops_on_cancel()
    {
        using var temp = new TempDirectory();
        var root = temp.Path;
        var configuration = new ConfigurationBuilder().Build();
        using var output = new SharedWriter();
        using var error = new SharedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var running = RunVerb.RunAsync(CommandArguments.Parse(["--port", "0"]), configuration, root, output, error, stop.Token);
        await Eventually.UntilAsync(() => output.Text.Contains("open http://127.0.0.1:", StringComparison.Ordinal) || running.IsCompleted, "the sandbox's address", TimeSpan.FromSeconds(60));
        Assert.False(running.IsCompleted, error.Text);
        Assert.Contains("SIMULATED", output.Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "data", "cordial.db")));

        await stop.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(0)]   // before anything started
    [InlineData(150)] // while the server runs and the bot connects (about a second in process)
    [InlineData(600)]
    public async Task Stopping_the_sandbox_while_it_starts_ends_quietly(int afterMilliseconds)
    {
        using var temp = new TempDirectory();
        using var output = new SharedWriter();
        using var error = new SharedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(afterMilliseconds);

        var exit = await RunVerb.RunAsync(CommandArguments.Parse(["--port", "0"]), new ConfigurationBuilder().Build(), temp.Path, output, error, stop.Token)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Empty(error.Text);
    }

    [Fact]
    public async Task Run_on_a_port_already_in_use_says_so_and_exits_1()
    {
        await using var world = await BotWorld.CreateAsync();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var output = new SharedWriter();
        using var error = new SharedWriter();

        var exit = await RunVerb.RunAsync(CommandArguments.Parse(["--port", port]), world.BuildConfiguration(), world.DataDirectory, output, error, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cordial is running", output.Text, StringComparison.Ordinal);
        Assert.Equal(0, world.Discord.GetStats(world.Bot.User.Id).Identifies); // refused before it connected
    }

    [Fact]
    public async Task Run_with_a_token_connects_answers_and_stops_gracefully_on_cancel()
    {
        await using var world = await BotWorld.CreateAsync();
        var configuration = world.BuildConfiguration();
        using var output = new SharedWriter();
        using var error = new SharedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        world.Llm.Script("via the verb", "Answered by cordial run.");

        var running = RunVerb.RunAsync(CommandArguments.Parse(["--port", "0"]), configuration, world.DataDirectory, output, error, stop.Token);
        await Eventually.UntilAsync(() => output.Text.Contains("Cordial is running", StringComparison.Ordinal) || running.IsCompleted, "the bot to run", TimeSpan.FromSeconds(60));
        Assert.False(running.IsCompleted, error.Text);
        await Eventually.UntilAsync(() => world.Discord.GetStats(world.Bot.User.Id).Identifies >= 1, "the bot to identify");
        await Eventually.UntilAsync(() => world.Discord.GetCommands(world.Bot.ApplicationId).Count > 0, "the commands to be registered");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} via the verb");
        await world.WaitForAnswerAsync(world.General.Id, "Answered by cordial run.");

        await stop.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.DoesNotContain(world.Bot.Token, output.Text + error.Text, StringComparison.Ordinal);
    }
}
