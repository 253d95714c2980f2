using Cordial.Bot.Housekeeping;
using Cordial.Configuration;
using Cordial.Hosting;
using Cordial.Storage.Retention;
using Microsoft.Extensions.Logging;

namespace Cordial.Integration.Tests;

public sealed class HousekeepingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Every_task_runs_on_each_tick_of_the_one_timer_and_a_failing_task_does_not_stop_the_others()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var failing = new RecordingTask("failing", fail: true);
        var counting = new RecordingTask("counting", fail: false);
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var service = new HousekeepingService([failing, counting], new HousekeepingOptions { Interval = Interval }, time, factory.CreateLogger<HousekeepingService>());
        await service.StartAsync(ct);
        await Eventually.UntilAsync(() => time.ActiveTimers > 0, "the housekeeping timer to be created");
        Assert.Empty(counting.Runs);

        time.Advance(Interval);
        await Eventually.UntilAsync(() => service.Runs == 1, "the first tick to run every task");
        time.Advance(Interval);
        await Eventually.UntilAsync(() => service.Runs == 2, "the second tick to run every task");

        Assert.Equal([time.GetUtcNow() - Interval, time.GetUtcNow()], counting.Runs);
        Assert.Equal(2, failing.Runs.Count);
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Text.Contains("failing", StringComparison.Ordinal)));
        Assert.Equal(1, time.ActiveTimers); // one timer for all tasks

        await service.StopAsync(ct);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public async Task A_tick_before_the_interval_runs_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var task = new RecordingTask("counting", fail: false);
        using var service = new HousekeepingService([task], new HousekeepingOptions { Interval = Interval }, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<HousekeepingService>.Instance);
        await service.StartAsync(ct);
        await Eventually.UntilAsync(() => time.ActiveTimers > 0, "the housekeeping timer to be created");

        time.Advance(Interval - TimeSpan.FromSeconds(1));
        await Task.Yield();

        Assert.Equal(0, service.Runs);
        Assert.Empty(task.Runs);
        await service.StopAsync(ct);
    }

    [Theory]
    [InlineData("Housekeeping:Interval", "00:00:00", "Housekeeping:Interval")]
    [InlineData("Housekeeping:Interval", "2.00:00:00", "Housekeeping:Interval")]
    [InlineData("Storage:RetentionDays", "-1", "Storage:RetentionDays")]
    public void Bad_housekeeping_settings_are_reported_by_name(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var problems = CordialSettings.Load(configuration, requireToken: false).Problems;

        Assert.Contains(problems, p => p.StartsWith(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_ten_minutes_and_thirty_days()
    {
        var settings = CordialSettings.Load(new ConfigurationBuilder().Build(), requireToken: false);

        Assert.Empty(settings.Problems);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Housekeeping.Interval);
        Assert.Equal(30, settings.Storage.RetentionDays);
    }

    [Fact]
    public void The_bot_registers_one_housekeeping_service_with_the_retention_and_rate_limit_tasks()
    {
        var services = new ServiceCollection();
        var settings = CordialSettings.Load(new ConfigurationBuilder().Build(), requireToken: false);

        services.AddCordialBot(settings, new ConfigurationBuilder().Build(), Path.GetTempPath());

        var tasks = services.Where(d => d.ServiceType == typeof(IHousekeepingTask)).Select(d => d.ImplementationType).ToList();
        Assert.Contains(typeof(StorageRetentionTask), tasks);
        Assert.Contains(typeof(QuotaPruningTask), tasks);
        Assert.Contains(typeof(RestRateLimitPruningTask), tasks);
        Assert.Single(services, d => d.ServiceType == typeof(HousekeepingService));
    }

    [Fact]
    public async Task The_rate_limit_task_drops_the_rest_clients_idle_routes_and_buckets()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        using var http = new HttpClient(new ChannelHandler());
        using var rest = new Cordial.Discord.Rest.DiscordRestClient(http, new Cordial.Discord.Rest.RestClientOptions { Token = "abc.def.ghi" }, time);
        for (ulong channel = 1; channel <= 20; channel++)
        {
            await rest.GetChannelAsync(channel, ct);
        }

        Assert.Equal((20, 20), (rest.GetStatistics().Routes, rest.GetStatistics().Buckets));
        var task = new RestRateLimitPruningTask(rest);

        await task.RunAsync(time.GetUtcNow(), ct);
        Assert.Equal(20, rest.GetStatistics().Buckets); // just used

        time.Advance(TimeSpan.FromMinutes(11));
        await task.RunAsync(time.GetUtcNow(), ct);

        Assert.Equal((0, 0), (rest.GetStatistics().Routes, rest.GetStatistics().Buckets));
        await rest.GetChannelAsync(1, ct); // relearned on next use
        Assert.Equal(1, rest.GetStatistics().Buckets);
    }

    /// <summary>Answers GET /channels/{id} like Discord: a channel and its bucket's headers.</summary>
    private sealed class ChannelHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var id = request.RequestUri!.Segments[^1].TrimEnd('/');
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"id":"{{id}}","type":0,"guild_id":"9","name":"general"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            response.Headers.Add("X-RateLimit-Bucket", "channel-get");
            response.Headers.Add("X-RateLimit-Limit", "5");
            response.Headers.Add("X-RateLimit-Remaining", "4");
            response.Headers.Add("X-RateLimit-Reset-After", "5");
            return Task.FromResult(response);
        }
    }

    private sealed class RecordingTask(string name, bool fail) : IHousekeepingTask
    {
        private readonly List<DateTimeOffset> _runs = [];

        public string Name => name;

        public IReadOnlyList<DateTimeOffset> Runs
        {
            get
            {
                lock (_runs)
                {
                    return [.. _runs];
                }
            }
        }

        public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (_runs)
            {
                _runs.Add(now);
            }

            return fail ? Task.FromException(new InvalidOperationException("broken on purpose")) : Task.CompletedTask;
        }
    }
}
