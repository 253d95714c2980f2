using System.Globalization;
using System.Text.Json;

namespace Cordial.LoadTest;

/// <summary>
/// The seeded emulator world: G guilds × C text channels, a thread in every fourth channel, N users (members of the guild
/// of their home channel), spread evenly over the channels and threads. Created through the emulator's control API.
/// </summary>
internal sealed class LoadTestWorld
{
    private LoadTestWorld(IReadOnlyList<SimulatedUser> users, int channels, int threads)
    {
        Users = users;
        Channels = channels;
        Threads = threads;
    }

    public IReadOnlyList<SimulatedUser> Users { get; }

    public int Channels { get; }

    public int Threads { get; }

    public static async Task<LoadTestWorld> SeedAsync(LoadTestHttp http, LoadTestOptions options, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        var owner = LoadTestHttp.ReadId(await http.PostAsync("_emulator/discord/users", LoadTestHttp.Object(("username", "thread-owner")), cancellationToken), "id");

        var guilds = new ulong[options.Guilds];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Guilds), parallel, async (g, ct) =>
        {
            var guild = await http.PostAsync("_emulator/discord/guilds", LoadTestHttp.Object(("name", $"load {g + 1}")), ct);
            guilds[g] = LoadTestHttp.ReadId(guild, "id");
            await AddMemberAsync(http, guilds[g], owner, ct);
        });

        // Homes: every channel, and a thread in every fourth one; each remembers its guild.
        var homes = new List<(ulong Channel, int Guild)>();
        var threads = 0;
        var channelSlots = Enumerable.Range(0, options.Guilds).SelectMany(g => Enumerable.Range(0, options.ChannelsPerGuild).Select(c => (g, c))).ToList();
        var created = new (ulong Channel, ulong? Thread, int Guild)[channelSlots.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, channelSlots.Count), parallel, async (i, ct) =>
        {
            var (g, c) = channelSlots[i];
            var channel = LoadTestHttp.ReadId(await http.PostAsync($"_emulator/discord/guilds/{LoadTestHttp.Id(guilds[g])}/channels", LoadTestHttp.Object(("name", $"load-{c + 1}")), ct), "id");
            ulong? thread = null;
            if (c % 4 == 3)
            {
                thread = LoadTestHttp.ReadId(await http.PostAsync($"_emulator/discord/channels/{LoadTestHttp.Id(channel)}/threads", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("name", $"load thread {c + 1}");
                    w.WriteString("ownerId", LoadTestHttp.Id(owner));
                    w.WriteEndObject();
                }, ct), "id");
            }

            created[i] = (channel, thread, g);
        });

        foreach (var (channel, thread, g) in created)
        {
            homes.Add((channel, g));
            if (thread is { } t)
            {
                homes.Add((t, g));
                threads++;
            }
        }

        var users = new SimulatedUser[options.Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Users), parallel, async (i, ct) =>
        {
            var id = LoadTestHttp.ReadId(await http.PostAsync("_emulator/discord/users", LoadTestHttp.Object(("username", "user" + i.ToString(CultureInfo.InvariantCulture))), ct), "id");
            var home = homes[i % homes.Count];
            await AddMemberAsync(http, guilds[home.Guild], id, ct);
            users[i] = new SimulatedUser(i, id, home.Channel);
        });

        return new LoadTestWorld(users, channelSlots.Count, threads);
    }

    private static Task<JsonElement> AddMemberAsync(LoadTestHttp http, ulong guild, ulong user, CancellationToken cancellationToken) =>
        http.PostAsync($"_emulator/discord/guilds/{LoadTestHttp.Id(guild)}/members", LoadTestHttp.Object(("userId", LoadTestHttp.Id(user))), cancellationToken);
}
