using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

/// <summary>GET /channels/{id}/messages against a plain model, over many seeded random histories and queries.</summary>
public sealed class MessageHistoryQueryTests
{
    [Fact]
    public async Task History_queries_match_a_model_over_random_histories()
    {
        var emulator = new DiscordEmulator(new DiscordEmulatorOptions { TimeProvider = new ManualTimeProvider() });
        emulator.RegisterBot("Cordial", "model-token");
        var bot = emulator.Authenticate("model-token")!;
        var user = emulator.CreateUser("u");
        var guild = emulator.CreateGuild("g", user.Id);
        var random = new Random(20261121);
        for (var round = 0; round < 150; round++)
        {
            var channel = emulator.CreateChannel(guild.Id, "c" + round);
            var count = random.Next(0, 60);
            List<ulong> ids = [];
            for (var i = 0; i < count; i++)
            {
                ids.Add((await emulator.PostMessageAsync(channel.Id, user.Id, "m" + i, cancellationToken: TestContext.Current.CancellationToken)).Id);
            }

            HashSet<ulong> deleted = [.. ids.Where(_ => random.Next(4) == 0)];
            foreach (var id in deleted)
            {
                emulator.RestDeleteMessage(bot, channel.Id, id);
            }

            var live = ids.Where(id => !deleted.Contains(id)).ToList();
            var limit = random.Next(1, 101);
            var anchor = ids.Count == 0 || random.Next(5) == 0 ? (ulong)random.Next(1, 1000) : ids[random.Next(ids.Count)];
            var kind = random.Next(4);
            List<ulong> expected = kind switch
            {
                0 => [.. live.TakeLast(limit)],
                1 => [.. live.Where(id => id < anchor).TakeLast(limit)],
                2 => [.. live.Where(id => id > anchor).Take(limit)],
                _ => [.. live.Where(id => id < anchor).TakeLast(limit / 2).Concat(live.Where(id => id >= anchor).Take(limit - (limit / 2)))],
            };
            expected.Reverse();

            var result = emulator.RestGetMessages(bot, channel.Id,
                before: kind == 1 ? anchor : null, after: kind == 2 ? anchor : null, around: kind == 3 ? anchor : null, limit);
            var actual = result.Select(m => ulong.Parse((string)m!["id"]!)).ToList();
            Assert.True(expected.SequenceEqual(actual), $"round {round}: kind {kind}, limit {limit}, {count} messages, {deleted.Count} deleted");
        }
    }
}
