using System.Net;
using System.Text.Json;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

public sealed class DiscordRestClientTests
{
    private const string MessageJson = """{"id":"10","channel_id":"1","content":"ok","timestamp":"2026-01-01T00:00:00+00:00"}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (DiscordRestClient Client, FakeDiscordHandler Handler) Create(TimeProvider? time = null, Action<RestClientOptions>? configure = null)
    {
        var handler = new FakeDiscordHandler();
        var options = new RestClientOptions { Token = "abc.def.ghi", ServerErrorBackoff = TimeSpan.Zero };
        configure?.Invoke(options);
        return (new DiscordRestClient(new HttpClient(handler), options, time), handler);
    }

    [Fact]
    public async Task Create_message_sends_bot_authorization_user_agent_and_allowed_mentions_none_by_default()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson));

        var message = await client.CreateMessageAsync(1, new MessageCreate { Content = "@everyone hello" }, Token);

        Assert.Equal(10UL, message.Id);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("https://discord.com/api/v10/channels/1/messages", request.Uri.ToString());
        Assert.Equal("Bot abc.def.ghi", request.Authorization);
        Assert.StartsWith("DiscordBot", request.UserAgent, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.BodyText);
        var mentions = body.RootElement.GetProperty("allowed_mentions");
        Assert.Equal(0, mentions.GetProperty("parse").GetArrayLength());
        Assert.False(mentions.GetProperty("replied_user").GetBoolean());
        Assert.False(body.RootElement.TryGetProperty("attachments", out var _));
    }

    [Fact]
    public void Allowed_mentions_cannot_be_removed()
    {
        Assert.Throws<ArgumentNullException>(() => new MessageCreate { AllowedMentions = null! });
        Assert.Throws<ArgumentNullException>(() => new MessageEdit { AllowedMentions = null! });
    }

    [Fact]
    public async Task Edit_sends_allowed_mentions_too()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson));

        await client.EditMessageAsync(1, 10, new MessageEdit { Content = "<@&5> hi" }, Token);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Contains("\"allowed_mentions\":{\"parse\":[]", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_long_content_fails_before_anything_is_sent()
    {
        var (client, handler) = Create();
        using var _ = client;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateMessageAsync(1, new MessageCreate { Content = new string('x', 2001) }, Token));

        Assert.Contains("2000", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_429_is_obeyed_counted_and_retried()
    {
        var time = new ManualTimeProvider();
        var (client, handler) = Create(time);
        using var _ = client;
        var calls = 0;
        handler.Respond = _ => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? FakeDiscordHandler.Json(HttpStatusCode.TooManyRequests, """{"message":"You are being rate limited.","retry_after":2.5,"global":false}""", [.. FakeDiscordHandler.Bucket("b", 5, 0, 2.5), ("X-RateLimit-Scope", "user")])
            : FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson, FakeDiscordHandler.Bucket("b", 5, 4, 5)));

        var edit = client.EditMessageAsync(1, 10, new MessageEdit { Content = "x" }, Token);

        var route = new RouteKey("PATCH", "channels/{0}/messages/{1}", "1");
        await Eventually.UntilAsync(() => client.RateLimits.GetBucket(route)?.QueueLength == 1, "the retry to wait for its bucket");
        Assert.Single(handler.Requests);

        time.Advance(TimeSpan.FromSeconds(2.5));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(2, handler.Requests.Count);
        var stats = client.GetStatistics();
        Assert.Equal(1, stats.TooManyRequests);
        Assert.Equal(1, stats.Retries);
        Assert.Equal(1, stats.InvalidRequests);
        Assert.Equal(2, stats.Requests);
    }

    [Fact]
    public async Task Typing_with_a_budget_is_skipped_without_a_request_or_an_exception_while_the_global_limit_is_spent()
    {
        var time = new ManualTimeProvider();
        var (client, handler) = Create(time, o => o.GlobalRequestsPerSecond = 1);
        using var _ = client;
        handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        Assert.True(await client.TryTriggerTypingAsync(1, TimeSpan.FromSeconds(1), Token));
        // The one permit comes back a window after the answer: at the deadline, not before it.
        Assert.False(Started.AtOnce(client.TryTriggerTypingAsync(1, TimeSpan.FromSeconds(1), Token)));
        Assert.Single(handler.Requests);
        Assert.Equal(0, client.RateLimits.Global.QueueLength);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await client.TryTriggerTypingAsync(1, TimeSpan.FromSeconds(1), Token));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("https://discord.com/api/v10/channels/1/typing", handler.Requests.Last().Uri.ToString());
    }

    [Fact]
    public async Task Typing_with_a_budget_that_Discord_refuses_throws_as_without_one()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.Forbidden, """{"message":"Missing Access","code":50001}"""));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.TryTriggerTypingAsync(1, TimeSpan.FromSeconds(1), Token).AsTask());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Endless_429s_give_up_after_the_configured_retries()
    {
        var (client, handler) = Create(configure: o => o.MaxRateLimitRetries = 2);
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.TooManyRequests, """{"message":"You are being rate limited.","retry_after":0,"global":false}"""));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(1, new MessageCreate { Content = "x" }, Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, client.GetStatistics().TooManyRequests);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Server_errors_on_idempotent_calls_are_retried(string method)
    {
        var (client, handler) = Create();
        using var _ = client;
        var calls = 0;
        handler.Respond = r => Task.FromResult(Interlocked.Increment(ref calls) <= 2
            ? FakeDiscordHandler.Json(HttpStatusCode.BadGateway, "{}")
            : r.Method == "DELETE" ? new HttpResponseMessage(HttpStatusCode.NoContent) : FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson));

        Task call = method switch
        {
            "PATCH" => client.EditMessageAsync(1, 10, new MessageEdit { Content = "x" }, Token),
            "GET" => client.GetMessageAsync(1, 10, Token),
            _ => client.DeleteMessageAsync(1, 10, Token),
        };
        await call;

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, client.GetStatistics().Retries);
    }

    [Fact]
    public async Task Server_errors_stop_after_the_configured_retries()
    {
        var (client, handler) = Create(configure: o => o.MaxServerErrorRetries = 2);
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.InternalServerError, """{"message":"boom","code":0}"""));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.GetChannelAsync(3, Token));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Server_error_on_post_is_not_retried()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.InternalServerError, "{}"));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateMessageAsync(1, new MessageCreate { Content = "x" }, Token));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Discord_error_body_becomes_a_typed_exception_without_the_token()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.BadRequest, """{"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"}]}}}"""));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.CreateFollowupMessageAsync(7, "secret-interaction-token", new MessageCreate { Content = "x" }, Token));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(50035, error.ErrorCode);
        Assert.Equal("Invalid Form Body", error.DiscordMessage);
        Assert.Contains("BASE_TYPE_MAX_LENGTH", error.Errors, StringComparison.Ordinal);
        Assert.Contains("50035", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-interaction-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_json_error_body_still_gives_the_status()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<html>nope</html>") });

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.GetCurrentUserAsync(Token));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Equal(1, client.GetStatistics().InvalidRequests);
    }

    [Fact]
    public async Task Malformed_success_body_is_a_clear_exception()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, """{"id": [1,2"""));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.GetChannelAsync(1, Token));

        Assert.Contains("GET /channels/{0}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_are_sent_as_multipart_with_payload_json()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson));
        byte[] bytes = [1, 2, 3, 250, 0, 7];

        await client.CreateMessageAsync(1, new MessageCreate { Content = "file", Files = [new FileAttachment("a.bin", bytes, "application/x-test")] }, Token);

        var request = Assert.Single(handler.Requests);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        var boundary = request.ContentType!.Split("boundary=")[1].Trim('"');
        var multipart = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(request.Body));
        var parts = new Dictionary<string, (string? Type, byte[] Data)>();
        while (await multipart.ReadNextSectionAsync(Token) is { } section)
        {
            var disposition = System.Net.Http.Headers.ContentDispositionHeaderValue.Parse(section.ContentDisposition!);
            using var data = new MemoryStream();
            await section.Body.CopyToAsync(data, Token);
            parts[disposition.Name!.Trim('"')] = (section.ContentType, data.ToArray());
        }

        Assert.Equal(bytes, parts["files[0]"].Data);
        Assert.Equal("application/x-test", parts["files[0]"].Type);
        using var payload = JsonDocument.Parse(parts["payload_json"].Data);
        Assert.Equal("file", payload.RootElement.GetProperty("content").GetString());
        Assert.Equal("a.bin", payload.RootElement.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.Equal(0, payload.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task Interaction_routes_carry_no_bot_token_and_escape_the_interaction_token()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        await client.CreateInteractionResponseAsync(9, "tok/en", InteractionCallback.Message(new MessageCreate { Content = "hi" }), Token);

        var request = Assert.Single(handler.Requests);
        Assert.Null(request.Authorization);
        Assert.EndsWith("/interactions/9/tok%2Fen/callback", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("\"type\":4", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"allowed_mentions\"", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autocomplete_result_is_callback_type_8_with_typed_choices()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        await client.CreateAutocompleteResponseAsync(9, "tok", [new AutocompleteChoice("GPT \"mini\"", "gpt-mini"), new AutocompleteChoice("three", 3L), new AutocompleteChoice("half", 0.5)], Token);

        var request = Assert.Single(handler.Requests);
        Assert.Null(request.Authorization);
        Assert.EndsWith("/interactions/9/tok/callback", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.BodyText);
        Assert.Equal(8, body.RootElement.GetProperty("type").GetInt32());
        var choices = body.RootElement.GetProperty("data").GetProperty("choices");
        Assert.Equal(3, choices.GetArrayLength());
        Assert.Equal("GPT \"mini\"", choices[0].GetProperty("name").GetString());
        Assert.Equal("gpt-mini", choices[0].GetProperty("value").GetString());
        Assert.Equal(3, choices[1].GetProperty("value").GetInt64());
        Assert.Equal(0.5, choices[2].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Autocomplete_choices_outside_discords_limits_are_refused_before_sending()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));

        var tooMany = Enumerable.Range(0, 26).Select(i => new AutocompleteChoice("m" + i, "m" + i)).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAutocompleteResponseAsync(9, "tok", tooMany, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAutocompleteResponseAsync(9, "tok", [new AutocompleteChoice("", "a")], Token));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAutocompleteResponseAsync(9, "tok", [new AutocompleteChoice(new string('n', 101), "a")], Token));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAutocompleteResponseAsync(9, "tok", [new AutocompleteChoice("ok", new string('v', 101))], Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AutocompleteChoice("nan", double.NaN));
        Assert.Empty(handler.Requests);

        await client.CreateAutocompleteResponseAsync(9, "tok", [.. tooMany.Take(25)], Token);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Follow_up_edits_go_to_the_interaction_webhook_without_the_bot_token()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson));

        await client.EditFollowupMessageAsync(7, "tok", 10, new MessageEdit { Content = "@everyone edited" }, Token);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Null(request.Authorization);
        Assert.EndsWith("/webhooks/7/tok/messages/10", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("\"allowed_mentions\":{\"parse\":[]", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_history_query_is_built_from_the_arguments()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, "[" + MessageJson + "]"));

        var messages = await client.GetMessagesAsync(1, limit: 1, before: 99, cancellationToken: Token);

        Assert.Single(messages);
        Assert.Equal("?limit=1&before=99", Assert.Single(handler.Requests).Uri.Query);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetMessagesAsync(1, before: 1, after: 2, cancellationToken: Token));
    }

    [Fact]
    public async Task Bulk_overwrite_puts_the_commands()
    {
        var (client, handler) = Create();
        using var _ = client;
        handler.Respond = r => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, r.BodyText));

        var result = await client.BulkOverwriteGuildCommandsAsync(3, 4, [new JsonApplicationCommand { Name = "ask", Description = "Ask" }], Token);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.EndsWith("/applications/3/guilds/4/commands", request.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("ask", Assert.Single(result).Name);
    }

    [Fact]
    public async Task Cancellation_while_waiting_for_a_bucket_returns_nothing_and_sends_nothing()
    {
        var time = new ManualTimeProvider();
        var (client, handler) = Create(time);
        using var _ = client;
        handler.Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson, FakeDiscordHandler.Bucket("b", 1, 0, 60)));
        await client.EditMessageAsync(1, 10, new MessageEdit { Content = "a" }, Token);

        using var cancel = new CancellationTokenSource();
        var waiting = client.EditMessageAsync(1, 10, new MessageEdit { Content = "b" }, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData("http://discord.example/api/v10/", "abc", "BaseAddress")]
    [InlineData("https://discord.com/api/v10", "abc", "BaseAddress")]
    [InlineData("https://discord.com/api/v10/", "", "Token")]
    [InlineData("https://discord.com/api/v10/", "abc\r\nX-Evil: 1", "Token")]
    public void Invalid_options_are_rejected_naming_the_setting(string baseAddress, string token, string setting)
    {
        var options = new RestClientOptions { BaseAddress = new Uri(baseAddress), Token = token };

        var errors = options.Validate();
        var error = Assert.Throws<ArgumentException>(() => new DiscordRestClient(new HttpClient(), options));

        Assert.Contains(errors, e => e.Contains("Discord:Rest:" + setting, StringComparison.Ordinal));
        Assert.Contains("Discord:Rest:" + setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_http_and_a_bot_prefixed_token_are_accepted()
    {
        var options = new RestClientOptions { BaseAddress = new Uri("http://127.0.0.1:5000/api/v10/"), Token = "Bot abc" };

        Assert.Empty(options.Validate());
        Assert.Equal("abc", options.NormalizedToken);
    }
}
