using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cordial.LoadTest;

/// <summary>
/// One run of <c>cordial loadtest</c>: starts the emulators and the bot as child processes on loopback, seeds the world,
/// drives the simulated users through the warm-up and the measured window, waits for the last answers, gathers the
/// figures and stops the children (always, whatever happens). Progress and the children's ids go to <c>status</c>.
/// </summary>
internal sealed partial class LoadTestRunner(LoadTestOptions options, TextWriter status, TimeProvider time)
{
    /// <summary>Of the mentions of a user who has an answer already, the share that replies to it (continuing that conversation).</summary>
    public const double ReplyShare = 0.3;

    /// <summary>A 1×1 PNG: the image of the image scenario.</summary>
    private const string PixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private const string ModelId = "sim-load";

    private static readonly string[] Questions =
    [
        "what is a good name for a cat?", "explain rate limits briefly.", "how do I cook rice?",
        "tell me something about the sea.", "why is the sky blue?", "summarize the plot of a short story.",
    ];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly LatencySamples _firstMessage = new();
    private readonly LatencySamples _answer = new();
    private long _mentions;
    private long _repliesToAnswers;
    private long _slash;
    private long _images;
    private long _replies;
    private long _repliesInWindow;
    private long _repliesSinceMeasureStart;
    private long _errorCount;
    private int _inFlight;
    private int _phase; // 0 warm-up, 1 measuring, 2 draining

    public async Task<LoadTestReport> RunAsync(IReadOnlyList<string> commandLine, CancellationToken cancellationToken)
    {
        var report = new LoadTestReport
        {
            Command = "cordial loadtest " + string.Join(' ', commandLine),
            StartedAt = time.GetUtcNow(),
            ProcessorCount = Environment.ProcessorCount,
            OperatingSystem = RuntimeInformation.OSDescription,
            Runtime = RuntimeInformation.FrameworkDescription,
            LoadAverageAtStart = ProcessFigures.LoadAverage(),
            Users = options.Users,
            DurationSeconds = options.DurationSeconds,
            WarmupSeconds = options.WarmupSeconds,
            Guilds = options.Guilds,
            Mix = options.Mix.ToString(),
            TimeToFirstTokenMs = options.TimeToFirstTokenMs,
            TokensPerSecond = options.TokensPerSecond,
            AnswerTokens = options.AnswerTokens,
            ThinkMs = options.ThinkMs,
            AnswerTimeoutSeconds = options.AnswerTimeoutSeconds,
            Seed = options.Seed,
        };

        var workDirectory = Path.Combine(Path.GetTempPath(), "cordial-loadtest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(workDirectory);
        var executable = CordialExecutable.Current();
        var token = "loadtest." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        ChildProcess? emulator = null;
        ChildProcess? bot = null;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var client = LoadTestHttp.CreateClient(options.Users);
        try
        {
            // 1. The emulators (Discord + LLM on one port), in their own process. They stand in for Discord and the LLM
            //    provider, whose warm-up is not the bot's: without tiered compilation the emulator runs optimized code
            //    from its first request, instead of re-compiling its hot paths while the start-up burst is served (that
            //    warm-up held /chat acknowledgements ~1 s at 1,000 users; docs/PERFORMANCE.md, "Fourth session").
            var emulatorEnvironment = new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["DOTNET_TieredCompilation"] = "0",
            };
            emulator = ChildProcess.Start("emulator", executable, ["emulator", "--port", "0", "--token", token], workDirectory, emulatorEnvironment);
            var listening = await WaitForLineAsync(emulator, EmulatorAddress(), "its listening address", abort.Token);
            var http = new LoadTestHttp(client, new Uri(EmulatorAddress().Match(listening).Groups[1].Value.TrimEnd('/') + "/"));
            await status.WriteLineAsync($"loadtest: emulator pid {emulator.Id.ToString(CultureInfo.InvariantCulture)} at {http.Emulator}");
            var expected = await ConfigureModelAsync(http, abort.Token);
            var botUserId = await FindBotAsync(http, token, abort.Token);

            // 2. The world, seeded before the bot connects, so READY and GUILD_CREATE carry all of it.
            var world = await LoadTestWorld.SeedAsync(http, options, abort.Token);
            report.Channels = world.Channels;
            report.Threads = world.Threads;
            await status.WriteLineAsync($"loadtest: seeded {options.Guilds} guild(s), {world.Channels} channel(s), {world.Threads} thread(s), {world.Users.Count} user(s)");

            // 3. The bot, in its own process, pointed at the emulators.
            var emulatorRoot = http.Emulator.ToString().TrimEnd('/');
            bot = ChildProcess.Start("bot", executable, ["run", "--port", "0"], workDirectory, new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["CORDIAL_Discord__Token"] = token,
                ["CORDIAL_Discord__RestBaseUrl"] = emulatorRoot + "/api/v10/",
                ["CORDIAL_Discord__GatewayUrl"] = emulatorRoot.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway",
                ["CORDIAL_Discord__ShardCount"] = "1",
                ["CORDIAL_Http__Address"] = "127.0.0.1",
                ["CORDIAL_Storage__Provider"] = "sqlite",
                ["CORDIAL_Storage__ConnectionString"] = Path.Combine(workDirectory, "cordial.db"),
                ["CORDIAL_Llm__Providers__emulator__Kind"] = "openai",
                ["CORDIAL_Llm__Providers__emulator__BaseUrl"] = emulatorRoot + "/v1",
                ["CORDIAL_Llm__Models__sim__Provider"] = "emulator",
                ["CORDIAL_Llm__Models__sim__ModelId"] = ModelId,
                ["CORDIAL_Llm__Models__sim__Vision"] = "true",
                ["CORDIAL_Llm__DefaultModel"] = "sim",
            });
            var running = await WaitForLineAsync(bot, BotAddress(), "its health address", abort.Token);
            var botAddress = new Uri(BotAddress().Match(running).Groups[1].Value);
            await WaitUntilAsync(bot, async ct => await http.ProbeAsync(new Uri(botAddress, "health"), ct) == 200, "the bot's /health to answer 200", abort.Token);
            await WaitUntilAsync(bot, async ct => HasChatCommand(await http.GetAsync($"_emulator/discord/bots/{LoadTestHttp.Id(botUserId)}/commands", ct)), "the bot to register /chat", abort.Token);
            await status.WriteLineAsync($"loadtest: bot pid {bot.Id.ToString(CultureInfo.InvariantCulture)} at {botAddress}");

            // 4. Watch the children: an early death ends the run with its last output.
            var children = new[] { emulator, bot };
            var watch = Task.WhenAny(emulator.Exited, bot.Exited).ContinueWith(_ => CancelQuietly(abort), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            // 5. The event stream, then the users.
            var tracker = new ReplyTracker(botUserId, expected);
            foreach (var user in world.Users)
            {
                tracker.AddUser(user.UserId);
            }

            using var stopStream = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
            var events = await http.OpenEventStreamAsync(abort.Token);
            var reading = Task.Run(() => tracker.RunAsync(events, stopStream.Token), CancellationToken.None);

            var start = time.GetTimestamp();
            var timeline = new Timeline(time, start, options.WarmupSeconds + options.DurationSeconds + options.AnswerTimeoutSeconds + 30);
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
            var sampling = SampleAsync(timeline, stopStream.Token);
            await status.WriteLineAsync($"loadtest: {options.Users} users, warm-up {options.WarmupSeconds} s, measuring {options.DurationSeconds} s");
            var users = world.Users.Select(u => RunUserAsync(u, http, tracker, timeline, botUserId, stopSending.Token, abort.Token)).ToList();

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), time, abort.Token);
            var botCpuAtStart = ProcessFigures.Read(bot.Id).CpuSeconds;
            var statsAtStart = await http.GetAsync($"_emulator/discord/bots/{LoadTestHttp.Id(botUserId)}/stats", abort.Token);
            var statsReset = await http.PostEmptyAsync(new Uri(botAddress, "stats/reset"), abort.Token);
            var measureStart = time.GetTimestamp();
            Volatile.Write(ref _phase, 1);

            await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds), time, abort.Token);
            Volatile.Write(ref _phase, 2);
            report.MeasuredSeconds = Math.Round(time.GetElapsedTime(measureStart).TotalSeconds, 2);
            var botCpuAtEnd = ProcessFigures.Read(bot.Id).CpuSeconds;
            await stopSending.CancelAsync();
            await status.WriteLineAsync($"loadtest: measured; waiting for {Volatile.Read(ref _inFlight)} answer(s) still in flight");
            await Task.WhenAll(users);

            // 6. The figures.
            var statsAtEnd = await http.GetAsync($"_emulator/discord/bots/{LoadTestHttp.Id(botUserId)}/stats", abort.Token);
            await ReadBotStatsAsync(http, botAddress, statsReset, report, abort.Token);
            var botFigures = ProcessFigures.Read(bot.Id);
            var emulatorFigures = ProcessFigures.Read(emulator.Id);
            await stopStream.CancelAsync();
            await Task.WhenAll(reading, sampling).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            report.MessagesSent = Interlocked.Read(ref _mentions) + Interlocked.Read(ref _slash) + Interlocked.Read(ref _images);
            report.MentionsSent = Interlocked.Read(ref _mentions);
            report.RepliesToAnswersSent = Interlocked.Read(ref _repliesToAnswers);
            report.SlashCommandsSent = Interlocked.Read(ref _slash);
            report.ImagesSent = Interlocked.Read(ref _images);
            report.Replies = Interlocked.Read(ref _replies);
            report.RepliesInWindow = Interlocked.Read(ref _repliesInWindow);
            report.MessagesPerSecond = report.MeasuredSeconds > 0 ? Math.Round(report.RepliesInWindow / report.MeasuredSeconds, 2) : 0;
            report.Errors = Interlocked.Read(ref _errorCount);
            report.ErrorReasons = [.. _errors.OrderByDescending(e => e.Value).Select(e => new ErrorCount(e.Key, e.Value))];
            report.Discord429s = statsAtEnd.GetProperty("tooManyRequests").GetInt64();
            report.DiscordGlobal429s = statsAtEnd.GetProperty("globalRateLimitHits").GetInt64();
            report.DiscordInvalidRequests = statsAtEnd.GetProperty("invalidRequests").GetInt64();
            report.DiscordRequests = statsAtEnd.GetProperty("restRequests").GetInt64() - statsAtStart.GetProperty("restRequests").GetInt64();
            report.DiscordRequestsByRoute = RouteCount.Between(RouteCounts(statsAtStart), RouteCounts(statsAtEnd));
            var repliesMeasured = Interlocked.Read(ref _repliesSinceMeasureStart);
            report.DiscordRequestsPerReply = repliesMeasured > 0 ? Math.Round((double)report.DiscordRequests / repliesMeasured, 2) : null;
            report.TimeToFirstMessage = _firstMessage.Summarize();
            report.AnswerTime = _answer.Summarize();
            report.BotCpuSecondsMeasured = botCpuAtEnd - botCpuAtStart;
            report.BotCpuSecondsTotal = botFigures.CpuSeconds;
            report.BotPeakRssBytes = botFigures.PeakRssBytes;
            report.BotRssBytesAtEnd = botFigures.RssBytes;
            report.EmulatorCpuSecondsTotal = emulatorFigures.CpuSeconds;
            report.EmulatorPeakRssBytes = emulatorFigures.PeakRssBytes;
            report.EventsObserved = tracker.Events;
            report.Timeline = [.. timeline.Points()];
            report.LoadAverageAtEnd = ProcessFigures.LoadAverage();
            _ = watch;
            if (report.Errors > 0 && bot.LastOutputLines() is { Count: > 0 } botLines)
            {
                // What the bot itself said (it logs warnings and errors only here; message content is never logged at that level).
                await status.WriteLineAsync("loadtest: the bot's last output:\n    " + string.Join("\n    ", botLines));
            }

            foreach (var child in children)
            {
                await child.StopAsync(TimeSpan.FromSeconds(15));
            }

            return report;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or TimeoutException or JsonException
                                   && !cancellationToken.IsCancellationRequested && FirstDead(emulator, bot) is { } dead)
        {
            throw new ChildProcessFailedException(dead.DescribeExit());
        }
        finally
        {
            // Never leave a child behind: stop the bot first (it talks to the emulator), then the emulator.
            if (bot is not null)
            {
                await bot.DisposeAsync();
            }

            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            try
            {
                Directory.Delete(workDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static ChildProcess? FirstDead(params ChildProcess?[] children) =>
        children.FirstOrDefault(c => c is { HasExited: true, Stopping: false });

    private async Task<string> WaitForLineAsync(ChildProcess child, Regex pattern, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await child.WaitForLineAsync(pattern.IsMatch, StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ChildProcessFailedException($"the {child.Name} (pid {child.Id}) did not print {what} within {StartTimeout.TotalSeconds} s.");
        }
    }

    private async Task WaitUntilAsync(ChildProcess child, Func<CancellationToken, Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (child.HasExited)
            {
                throw new ChildProcessFailedException(child.DescribeExit());
            }

            try
            {
                if (await condition(cancellationToken))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (time.GetElapsedTime(started) > StartTimeout)
            {
                throw new ChildProcessFailedException($"timed out after {StartTimeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    /// <summary>Sets the model's latency and answer length; returns the exact answer every request will get.</summary>
    private async Task<string> ConfigureModelAsync(LoadTestHttp http, CancellationToken cancellationToken)
    {
        await WaitUntilLlmAsync(http, cancellationToken);
        await SetBehaviorAsync(http, 0, 0, cancellationToken);
        var probe = await http.PostAsync("v1/chat/completions", w =>
        {
            w.WriteStartObject();
            w.WriteString("model", ModelId);
            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteString("content", "probe");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }, cancellationToken);
        var answer = probe.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? "";
        await SetBehaviorAsync(http, options.TimeToFirstTokenMs, options.TokensPerSecond, cancellationToken);
        return answer.Trim();
    }

    private async Task WaitUntilLlmAsync(LoadTestHttp http, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (await http.ProbeAsync(new Uri(http.Emulator, "_emulator/llm"), cancellationToken) != 200)
        {
            if (time.GetElapsedTime(started) > StartTimeout)
            {
                throw new ChildProcessFailedException("the emulator's control API did not answer.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task SetBehaviorAsync(LoadTestHttp http, int ttftMs, int tokensPerSecond, CancellationToken cancellationToken)
    {
        foreach (var model in new[] { ModelId, null })
        {
            await http.PostAsync("_emulator/llm/behavior", w =>
            {
                w.WriteStartObject();
                if (model is not null)
                {
                    w.WriteString("model", model);
                }

                w.WriteNumber("timeToFirstTokenMs", ttftMs);
                w.WriteNumber("tokensPerSecond", tokensPerSecond);
                w.WriteString("answer", "filler");
                w.WriteNumber("fillerTokens", options.AnswerTokens);
                w.WriteEndObject();
            }, cancellationToken);
        }
    }

    private static async Task<ulong> FindBotAsync(LoadTestHttp http, string token, CancellationToken cancellationToken)
    {
        var state = await http.GetAsync("_emulator/discord/state", cancellationToken);
        foreach (var bot in state.GetProperty("bots").EnumerateArray())
        {
            if (bot.GetProperty("token").GetString() == token)
            {
                return LoadTestHttp.ReadId(bot.GetProperty("user"), "id");
            }
        }

        throw new ChildProcessFailedException("the emulator did not register the load test's bot.");
    }

    private static bool HasChatCommand(JsonElement commands) =>
        commands.ValueKind == JsonValueKind.Array && commands.EnumerateArray().Any(c => c.GetProperty("name").GetString() == "chat");

    private static async Task ReadBotStatsAsync(LoadTestHttp http, Uri botAddress, int? resetStatus, LoadTestReport report, CancellationToken cancellationToken)
    {
        try
        {
            report.Bot = BotStats.Parse(await http.GetAsync(new Uri(botAddress, "stats"), cancellationToken));
            if (resetStatus is not (>= 200 and < 300))
            {
                report.BotStatsError = $"POST /stats/reset answered {resetStatus?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}: the figures include the warm-up";
            }
        }
        catch (HttpRequestException ex)
        {
            report.BotStatsError = ex.StatusCode == System.Net.HttpStatusCode.NotFound ? "the bot has no /stats endpoint (404)" : ex.Message;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            report.BotStatsError = "unexpected /stats shape: " + ex.Message;
        }
    }

    private async Task SampleAsync(Timeline timeline, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            var ticks = 0;
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                timeline.SampleInFlight(Volatile.Read(ref _inFlight));
                if (++ticks % 10 == 0)
                {
                    await status.WriteLineAsync($"loadtest: {ticks} s: {Interlocked.Read(ref _replies)} replies, {Volatile.Read(ref _inFlight)} in flight, {Interlocked.Read(ref _errorCount)} errors");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunUserAsync(SimulatedUser user, LoadTestHttp http, ReplyTracker tracker, Timeline timeline, ulong botUserId, CancellationToken stopSending, CancellationToken abort)
    {
        await Task.Yield();
        var random = new Random(unchecked((options.Seed * 1_000_003) + user.Index));
        var mention = $"<@{LoadTestHttp.Id(botUserId)}>";
        var answerTimeout = TimeSpan.FromSeconds(options.AnswerTimeoutSeconds);
        try
        {
            // Spread the first messages over the warm-up (or a second), as people do not all type at once.
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * Math.Max(1000, options.WarmupSeconds * 1000)), time, stopSending);
            while (!stopSending.IsCancellationRequested)
            {
                var kind = options.Mix.Sample(random.NextDouble());
                var replyTo = kind == ScenarioKind.Mention && user.LastAnswerMessageId is { } last && random.NextDouble() < ReplyShare ? last : (ulong?)null;
                user.Sequence++;
                var question = $"question {user.Index.ToString(CultureInfo.InvariantCulture)}.{user.Sequence.ToString(CultureInfo.InvariantCulture)}: {Questions[random.Next(Questions.Length)]}";
                var phase = Volatile.Read(ref _phase);
                ulong requestId;
                DateTimeOffset sentAt;
                try
                {
                    (requestId, sentAt) = await SendAsync(http, user, kind, mention + " " + question, question, replyTo, abort);
                }
                catch (HttpRequestException ex)
                {
                    RecordError("the emulator refused a user's message: " + ex.Message, timeline);
                    await ThinkAsync(random, stopSending);
                    continue;
                }

                _ = kind switch
                {
                    ScenarioKind.Slash => Interlocked.Increment(ref _slash),
                    ScenarioKind.Image => Interlocked.Increment(ref _images),
                    _ => Interlocked.Increment(ref _mentions),
                };
                if (replyTo is not null)
                {
                    Interlocked.Increment(ref _repliesToAnswers);
                }

                timeline.Sent();
                var pending = tracker.Claim(requestId, sentAt);
                Interlocked.Increment(ref _inFlight);
                ReplyOutcome outcome;
                try
                {
                    outcome = await pending.Outcome.WaitAsync(answerTimeout, time, abort);
                }
                catch (TimeoutException)
                {
                    outcome = pending.Fail($"no complete answer to {Describe(kind, replyTo)} within {options.AnswerTimeoutSeconds} s", sentAt);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                    tracker.Release(pending);
                }

                Record(outcome, phase, timeline);
                if (outcome.Error is null)
                {
                    user.LastAnswerMessageId = outcome.LastMessageId;
                }

                await ThinkAsync(random, stopSending);
            }
        }
        catch (OperationCanceledException) when (stopSending.IsCancellationRequested && !abort.IsCancellationRequested)
        {
        }
    }

    private static string Describe(ScenarioKind kind, ulong? replyTo) => kind switch
    {
        ScenarioKind.Slash => "a /chat command",
        ScenarioKind.Image => "a message with an image",
        _ when replyTo is not null => "a reply to an answer",
        _ => "a mention",
    };

    private Task ThinkAsync(Random random, CancellationToken stopSending) =>
        options.ThinkMs == 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(options.ThinkMs * (0.5 + random.NextDouble())), time, stopSending);

    private static async Task<(ulong Id, DateTimeOffset At)> SendAsync(LoadTestHttp http, SimulatedUser user, ScenarioKind kind, string content, string prompt, ulong? replyTo, CancellationToken cancellationToken)
    {
        JsonElement answer;
        if (kind == ScenarioKind.Slash)
        {
            answer = await http.PostAsync("_emulator/discord/interactions", w =>
            {
                w.WriteStartObject();
                w.WriteString("channelId", LoadTestHttp.Id(user.HomeChannelId));
                w.WriteString("userId", LoadTestHttp.Id(user.UserId));
                w.WriteString("commandName", "chat");
                w.WriteStartObject("options");
                w.WriteString("prompt", prompt);
                w.WriteEndObject();
                w.WriteEndObject();
            }, cancellationToken);
        }
        else
        {
            answer = await http.PostAsync($"_emulator/discord/channels/{LoadTestHttp.Id(user.HomeChannelId)}/messages", w =>
            {
                w.WriteStartObject();
                w.WriteString("authorId", LoadTestHttp.Id(user.UserId));
                w.WriteString("content", kind == ScenarioKind.Image ? content + " What is in this picture?" : content);
                if (replyTo is { } parent)
                {
                    w.WriteString("replyToMessageId", LoadTestHttp.Id(parent));
                }

                if (kind == ScenarioKind.Image)
                {
                    w.WriteStartArray("attachments");
                    w.WriteStartObject();
                    w.WriteString("filename", "picture.png");
                    w.WriteString("contentType", "image/png");
                    w.WriteString("dataBase64", PixelPng);
                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }, cancellationToken);
        }

        return (LoadTestHttp.ReadId(answer, "id"), answer.GetProperty("createdAt").GetDateTimeOffset());
    }

    private void Record(ReplyOutcome outcome, int phaseAtSend, Timeline timeline)
    {
        if (outcome.Error is { } error)
        {
            RecordError(error, timeline);
            return;
        }

        Interlocked.Increment(ref _replies);
        timeline.Completed();
        var phase = Volatile.Read(ref _phase);
        if (phase == 1)
        {
            Interlocked.Increment(ref _repliesInWindow);
        }

        if (phase >= 1)
        {
            Interlocked.Increment(ref _repliesSinceMeasureStart);
        }

        if (phaseAtSend >= 1)
        {
            // Latencies of messages sent after the warm-up only (the warm-up pays for JIT and first connections).
            if (outcome.TimeToFirstMessage is { } first)
            {
                _firstMessage.Add(first.TotalMilliseconds);
            }

            if (outcome.AnswerTime is { } total)
            {
                _answer.Add(total.TotalMilliseconds);
            }
        }
    }

    private void RecordError(string reason, Timeline timeline)
    {
        Interlocked.Increment(ref _errorCount);
        timeline.Failed();
        if (_errors.Count < 50 || _errors.ContainsKey(reason))
        {
            _errors.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        }
        else
        {
            _errors.AddOrUpdate("other reasons", 1, static (_, n) => n + 1);
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex EmulatorAddress();

    [GeneratedRegex(@"Health: (http://\S+/)health")]
    private static partial Regex BotAddress();

    private static Dictionary<string, long> RouteCounts(System.Text.Json.JsonElement stats) =>
        stats.TryGetProperty("requestsByRoute", out var routes) && routes.ValueKind == System.Text.Json.JsonValueKind.Object
            ? routes.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal)
            : [];
}
