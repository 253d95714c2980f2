using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>One REST request as a handler sees it.</summary>
internal sealed class RestCall(HttpContext http, DiscordEmulator emulator, BotState? bot)
{
    public HttpContext Http { get; } = http;
    public DiscordEmulator Emulator { get; } = emulator;
    public BotState Bot => bot ?? throw new DiscordRestException(401, 0, "401: Unauthorized");
    public CancellationToken Aborted => Http.RequestAborted;

    public string Value(string name) => Http.GetRouteValue(name)?.ToString() ?? "";

    /// <summary>A snowflake from the path; Discord answers 404 for ids that do not parse in the path.</summary>
    public ulong Snowflake(string name) =>
        ulong.TryParse(Value(name), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw DiscordRestException.InvalidFormBody(name, "NUMBER_TYPE_COERCE", $"Value \"{Value(name)}\" is not snowflake.");

    public ulong? QuerySnowflake(string name)
    {
        var text = Http.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw DiscordRestException.InvalidFormBody(name, "NUMBER_TYPE_COERCE", $"Value \"{text}\" is not snowflake.");
    }

    public async Task<JsonNode?> ReadJsonAsync()
    {
        if (Http.Request.ContentLength == 0)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(Http.Request.Body);
            var text = await reader.ReadToEndAsync(Aborted);
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw DiscordRestException.InvalidJson();
        }
    }

    public async Task<JsonObject> ReadJsonObjectAsync() =>
        await ReadJsonAsync() as JsonObject ?? throw DiscordRestException.InvalidFormBody("_errors", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");

    /// <summary>A message body: JSON, or multipart/form-data with payload_json and files[n].</summary>
    public async Task<MessagePayload> ReadMessageAsync()
    {
        if (!Http.Request.HasFormContentType)
        {
            return MessagePayloadParser.Parse(await ReadJsonObjectAsync(), []);
        }

        var form = await Http.Request.ReadFormAsync(Aborted);
        JsonObject body;
        try
        {
            var payloadJson = form["payload_json"].ToString();
            body = payloadJson.Length == 0 ? new JsonObject { ["content"] = form["content"].ToString() } : JsonNode.Parse(payloadJson) as JsonObject
                ?? throw DiscordRestException.InvalidJson();
        }
        catch (JsonException)
        {
            throw DiscordRestException.InvalidJson();
        }

        List<PendingFile> files = [];
        foreach (var file in form.Files)
        {
            var index = files.Count;
            var name = file.Name;
            if (name.StartsWith("files[", StringComparison.Ordinal) && name.EndsWith(']')
                && int.TryParse(name.AsSpan(6, name.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                index = n;
            }

            using var stream = new MemoryStream();
            await file.CopyToAsync(stream, Aborted);
            files.Add(new PendingFile(index, file.FileName, file.ContentType ?? "application/octet-stream", stream.ToArray()));
        }

        if (files.Count > 10)
        {
            throw DiscordRestException.InvalidFormBody("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
        }

        return MessagePayloadParser.Parse(body, files);
    }
}
