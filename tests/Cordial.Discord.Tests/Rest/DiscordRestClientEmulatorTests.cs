using System.Net;
using System.Text.Json;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Cordial.Emulator.Discord;
using DiscordRestException = Cordial.Discord.Rest.DiscordRestException;
using MessageCreate = Cordial.Discord.Rest.MessageCreate;
using MessageEdit = Cordial.Discord.Rest.MessageEdit;

namespace Cordial.Discord.Tests.Rest;

/// <summary>The REST client against the real Discord emulator over loopback HTTP.</summary>
public sealed class DiscordRestClientEmulatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class Fixture : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        private Fixture(DiscordEmulatorHost host, EmulatedBot bot, EmulatedGuild guild, DiscordRestClient client)
        {
            Host = host;
            Bot = bot;
            Guild = guild;
            Client = client;
        }

        public DiscordEmulatorHost Host { get; }
        public DiscordEmulator Emulator => Host.Emulator;
        public EmulatedBot Bot { get; }
        public EmulatedGuild Guild { get; }
        public DiscordRestClient Client { get; }
        public HttpClient Http => _http;

        public EmulatorStats Stats => Emulator.GetStats(Bot.User.Id);

        public static async Task<Fixture> StartAsync(Action<DiscordEmulatorOptions>? configure = null)
        {
            var options = new DiscordEmulatorOptions();
            configure?.Invoke(options);
            var host = await DiscordEmulatorHost.StartAsync(options, cancellationToken: Token);
            var bot = host.Emulator.RegisterBot();
            var guild = host.Emulator.CreateGuild("Test guild");
            var client = new DiscordRestClient(new HttpClient(), new RestClientOptions
            {
                BaseAddress = host.RestBaseAddress,
                Token = bot.Token,
                ServerErrorBackoff = TimeSpan.FromMilliseconds(10),
            });
            return new Fixture(host, bot, guild, client);
        }

        public ulong NewChannel(string name = "general") => Emulator.CreateChannel(Guild.Id, name).Id;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            _http.Dispose();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_burst_of_50_edits_lands_every_revision_without_a_429()
    {
        await using var f = await Fixture.StartAsync(o => o.MessageBucketWindow = TimeSpan.FromMilliseconds(250));
        var channel = f.NewChannel();
        var message = await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "start" }, Token);

        var edits = Enumerable.Range(0, 50)
            .Select(i => f.Client.EditMessageAsync(channel, message.Id, new MessageEdit { Content = "revision " + i }, Token))
            .ToArray();
        await Task.WhenAll(edits).WaitAsync(TimeSpan.FromSeconds(120), Token);

        var stored = Assert.Single(f.Emulator.GetMessages(channel));
        Assert.Equal(50, stored.EditCount);
        Assert.Equal(
            Enumerable.Range(0, 50).Select(i => "revision " + i).Order(StringComparer.Ordinal),
            stored.Revisions.Skip(1).Select(r => r.Content).Order(StringComparer.Ordinal));
        Assert.Equal(0, f.Stats.TooManyRequests);
        Assert.Equal(0, f.Client.GetStatistics().TooManyRequests);
    }

    [Fact]
    public async Task Control_the_same_burst_without_the_client_draws_429s()
    {
        // Shows the zero-429 assertions above can fail: the emulator does enforce the channel bucket.
        await using var f = await Fixture.StartAsync(o => o.MessageBucketWindow = TimeSpan.FromSeconds(30));
        var channel = f.NewChannel();
        var message = await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "start" }, Token);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(f.Host.RestBaseAddress, $"channels/{channel}/messages/{message.Id}"))
            {
                Content = new StringContent($$$"""{"content":"raw {{{i}}}","allowed_mentions":{"parse":[]}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + f.Bot.Token);
            using var response = await f.Http.SendAsync(request, Token);
            return response.StatusCode;
        }));

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(f.Stats.TooManyRequests > 0);
    }

    [Fact]
    public async Task The_global_limit_holds_across_many_channels()
    {
        await using var f = await Fixture.StartAsync(o => o.GlobalRequestsPerSecond = 50);
        var channels = Enumerable.Range(0, 60).Select(i => f.NewChannel("c" + i)).ToArray();

        var creates = Enumerable.Range(0, 150)
            .Select(i => f.Client.CreateMessageAsync(channels[i % channels.Length], new MessageCreate { Content = "m" + i }, Token))
            .ToArray();
        await Task.WhenAll(creates).WaitAsync(TimeSpan.FromSeconds(120), Token);

        Assert.Equal(150, channels.Sum(c => f.Emulator.GetMessages(c).Count));
        Assert.Equal(0, f.Stats.TooManyRequests);
        Assert.Equal(0, f.Stats.GlobalRateLimitHits);
    }

    [Fact]
    public async Task A_rate_limit_storm_is_obeyed_and_counted_then_requests_succeed()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();

        f.Emulator.Faults.StartRateLimitStorm(TimeSpan.FromSeconds(1));
        var created = await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "through the storm" }, Token).WaitAsync(TimeSpan.FromSeconds(60), Token);
        var edited = await f.Client.EditMessageAsync(channel, created.Id, new MessageEdit { Content = "after" }, Token).WaitAsync(TimeSpan.FromSeconds(60), Token);

        Assert.Equal("after", edited.Content);
        var stats = f.Client.GetStatistics();
        Assert.True(stats.TooManyRequests > 0, "the storm should have answered at least one 429");
        Assert.Equal(f.Stats.TooManyRequests, stats.TooManyRequests);
        Assert.Equal(stats.TooManyRequests, stats.InvalidRequests);
        Assert.Equal("after", Assert.Single(f.Emulator.GetMessages(channel)).Content);
    }

    [Fact]
    public async Task Typing_with_a_budget_is_sent_skipped_without_a_request_while_the_global_limit_is_spent_and_fails_as_before()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var time = new ManualTimeProvider(); // the client's clock: its global window passes only when the test says
        using var http = new HttpClient();
        using var client = new DiscordRestClient(http, new RestClientOptions { BaseAddress = f.Host.RestBaseAddress, Token = f.Bot.Token, GlobalRequestsPerSecond = 1 }, time);
        const string typing = "POST /channels/{channel_id}/typing";

        Assert.True(await client.TryTriggerTypingAsync(channel, TimeSpan.FromSeconds(1), Token));
        Assert.False(await client.TryTriggerTypingAsync(channel, TimeSpan.FromSeconds(1), Token));
        Assert.Equal(1, f.Stats.RequestsByRoute[typing]);

        time.Advance(TimeSpan.FromSeconds(1));
        f.Emulator.Faults.FailRoute("POST", "/channels/{channel_id}/typing", 500, 1);
        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.TryTriggerTypingAsync(channel, TimeSpan.FromSeconds(1), Token).AsTask());
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(2, f.Stats.RequestsByRoute[typing]);
        Assert.Equal(0, f.Stats.TooManyRequests);
    }

    [Fact]
    public async Task Server_errors_are_retried_on_patch_and_surface_on_post()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var message = await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "v1" }, Token);

        f.Emulator.Faults.FailRoute("PATCH", "/channels/{channel_id}/messages/{message_id}", 500, 2);
        var edited = await f.Client.EditMessageAsync(channel, message.Id, new MessageEdit { Content = "v2" }, Token);
        Assert.Equal("v2", edited.Content);
        Assert.Equal(2, f.Client.GetStatistics().Retries);

        f.Emulator.Faults.FailRoute("POST", "/channels/{channel_id}/messages", 500, 1);
        var error = await Assert.ThrowsAsync<DiscordRestException>(() => f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "lost" }, Token));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(2, f.Client.GetStatistics().Retries);
        Assert.Single(f.Emulator.GetMessages(channel));

        await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "next" }, Token);
        Assert.Equal(2, f.Emulator.GetMessages(channel).Count);
    }

    [Fact]
    public async Task An_attachment_arrives_with_its_bytes_and_mentions_default_to_none()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var bytes = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

        var sent = await f.Client.CreateMessageAsync(channel, new MessageCreate
        {
            Content = "@everyone look",
            Files = [new FileAttachment("data.bin", bytes, "application/octet-stream")],
        }, Token);

        var stored = Assert.Single(f.Emulator.GetMessages(channel));
        Assert.Equal(sent.Id, stored.Id);
        var attachment = Assert.Single(stored.Attachments);
        Assert.Equal("data.bin", attachment.Filename);
        Assert.Equal(bytes, await f.Http.GetByteArrayAsync(new Uri(f.Host.BaseAddress, attachment.Path), Token));
        using var mentions = JsonDocument.Parse(stored.AllowedMentions!);
        Assert.Equal(0, mentions.RootElement.GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task Every_endpoint_speaks_the_emulators_wire_format()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var user = f.Emulator.CreateUser("alice");

        var gateway = await f.Client.GetGatewayBotAsync(Token);
        Assert.StartsWith("ws://127.0.0.1", gateway.Url, StringComparison.Ordinal);
        Assert.Equal(f.Bot.User.Id, (await f.Client.GetCurrentUserAsync(Token)).Id);
        Assert.Equal(channel, (await f.Client.GetChannelAsync(channel, Token)).Id);

        var first = await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "one" }, Token);
        var reply = await f.Client.CreateMessageAsync(channel, new MessageCreate
        {
            Content = "two",
            MessageReference = new JsonMessageReference { MessageId = first.Id },
            Flags = MessageFlags.SuppressNotifications,
        }, Token);
        Assert.Equal(first.Id, f.Emulator.GetMessage(channel, reply.Id)!.ReplyToMessageId);
        Assert.Equal(first.Id, (await f.Client.GetMessageAsync(channel, first.Id, Token)).Id);
        var before = await f.Client.GetMessagesAsync(channel, limit: 1, before: reply.Id, cancellationToken: Token);
        Assert.Equal(first.Id, Assert.Single(before).Id);

        await f.Client.TriggerTypingAsync(channel, Token);
        var thread = await f.Client.StartThreadFromMessageAsync(channel, first.Id, new ThreadCreate("from message"), Token);
        Assert.Equal(channel, thread.ParentId);
        var loose = await f.Client.StartThreadAsync(channel, new ThreadCreate("no message"), Token);
        Assert.Equal("no message", loose.Name);

        await f.Client.DeleteMessageAsync(channel, reply.Id, Token);
        Assert.True(f.Emulator.GetMessage(channel, reply.Id) is null or { Deleted: true });

        var commands = await f.Client.BulkOverwriteGuildCommandsAsync(f.Bot.ApplicationId, f.Guild.Id, [new JsonApplicationCommand { Name = "ask", Description = "Ask the bot" }], Token);
        Assert.Equal("ask", Assert.Single(commands).Name);
        await f.Client.BulkOverwriteGlobalCommandsAsync(f.Bot.ApplicationId, [new JsonApplicationCommand { Name = "ping", Description = "Ping" }], Token);
        Assert.Single(f.Emulator.GetCommands(f.Bot.ApplicationId));

        var interaction = await f.Emulator.RunSlashCommandAsync(channel, user.Id, "ask", cancellationToken: Token);
        await f.Client.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionCallback.Defer(), Token);
        await f.Client.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageEdit { Content = "answer" }, Token);
        await f.Client.CreateFollowupMessageAsync(interaction.ApplicationId, interaction.Token, new MessageCreate { Content = "more" }, Token);
        Assert.Equal(5, interaction.CallbackType);
        Assert.Equal("answer", interaction.OriginalEdits[^1].Content);
        Assert.Equal("more", Assert.Single(interaction.FollowUps).Content);

        Assert.Equal(0, f.Stats.TooManyRequests);
    }

    [Fact]
    public async Task A_deferral_with_its_result_names_the_thinking_message_that_the_answer_then_fills()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var user = f.Emulator.CreateUser("alice");
        await f.Client.BulkOverwriteGlobalCommandsAsync(f.Bot.ApplicationId, [new JsonApplicationCommand { Name = "ask", Description = "Ask the bot" }], Token);

        var interaction = await f.Emulator.RunSlashCommandAsync(channel, user.Id, "ask", cancellationToken: Token);
        var result = await f.Client.CreateInteractionResponseWithResultAsync(interaction.Id, interaction.Token, InteractionCallback.Defer(), Token);
        var original = await f.Client.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageEdit { Content = "answer" }, Token);

        Assert.Equal(5, interaction.CallbackType);
        Assert.Equal(interaction.Id, result.Interaction!.Id);
        Assert.True(result.Interaction.ResponseMessageLoading);
        Assert.Equal(original.Id, result.Interaction.ResponseMessageId);
        Assert.Equal("answer", f.Emulator.GetMessage(channel, original.Id)!.Content);
    }

    [Fact]
    public async Task Autocomplete_results_reach_the_emulator_as_choices()
    {
        await using var f = await Fixture.StartAsync();
        var channel = f.NewChannel();
        var user = f.Emulator.CreateUser("alice");
        await f.Client.BulkOverwriteGlobalCommandsAsync(f.Bot.ApplicationId,
        [
            new JsonApplicationCommand
            {
                Name = "model",
                Description = "Pick",
                Options = [new JsonApplicationCommandOption { Name = "name", Description = "model", Type = ApplicationCommandOptionType.String, Autocomplete = true }],
            },
        ], Token);

        var interaction = await f.Emulator.RunAutocompleteAsync(channel, user.Id, "model", "name", "sim", cancellationToken: Token);
        await f.Client.CreateAutocompleteResponseAsync(interaction.Id, interaction.Token, [new AutocompleteChoice("simulated", "simulated"), new AutocompleteChoice("simulated large", "simulated-large")], Token);

        Assert.Equal(8, interaction.CallbackType);
        Assert.Equal(
            [new EmulatedAutocompleteChoice("simulated", "simulated"), new EmulatedAutocompleteChoice("simulated large", "simulated-large")],
            interaction.AutocompleteChoices);
    }

    [Fact]
    public async Task Follow_ups_are_edited_through_the_webhook_on_the_interaction_tokens_bucket()
    {
        await using var f = await Fixture.StartAsync(o => o.MessageBucketLimit = 2);
        var channel = f.NewChannel();
        var user = f.Emulator.CreateUser("alice");
        await f.Client.BulkOverwriteGlobalCommandsAsync(f.Bot.ApplicationId, [new JsonApplicationCommand { Name = "ask", Description = "Ask" }], Token);
        var interaction = await f.Emulator.RunSlashCommandAsync(channel, user.Id, "ask", cancellationToken: Token);
        await f.Client.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionCallback.Defer(ephemeral: true), Token);
        var followUp = await f.Client.CreateFollowupMessageAsync(interaction.ApplicationId, interaction.Token, new MessageCreate { Content = "v1", Flags = MessageFlags.Ephemeral }, Token);

        // The channel's bucket (2 per window) is spent by the channel's own messages; the follow-up's edits do not need it.
        await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "a" }, Token);
        await f.Client.CreateMessageAsync(channel, new MessageCreate { Content = "b" }, Token);
        var edited = await f.Client.EditFollowupMessageAsync(interaction.ApplicationId, interaction.Token, followUp.Id, new MessageEdit { Content = "v2" }, Token);

        Assert.Equal("v2", edited.Content);
        Assert.Equal(["v1", "v2"], f.Emulator.GetMessage(channel, followUp.Id)!.Revisions.Select(r => r.Content));
        var edit = Assert.Single(interaction.Responses, r => r.Kind == EmulatedInteractionResponseKind.EditFollowUp);
        Assert.Equal(followUp.Id, edit.MessageId);
        Assert.Equal(0, f.Stats.TooManyRequests);
    }

    [Fact]
    public async Task A_wrong_token_is_a_401_counted_as_invalid()
    {
        await using var f = await Fixture.StartAsync(o => o.FixedBotToken = "the.right.token");
        using var wrong = new DiscordRestClient(new HttpClient(), new RestClientOptions { BaseAddress = f.Host.RestBaseAddress, Token = "the.wrong.token" });

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => wrong.GetCurrentUserAsync(Token));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(1, wrong.GetStatistics().InvalidRequests);
    }
}
