using System.Text;

namespace Cordial.Discord.Tests.Rest;

/// <summary>One request as <see cref="FakeDiscordHandler"/> saw it.</summary>
internal sealed record RecordedRequest(string Method, Uri Uri, string? Authorization, string UserAgent, string? ContentType, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
