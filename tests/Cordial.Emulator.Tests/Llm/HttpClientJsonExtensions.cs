using System.Text.Json;

namespace Cordial.Emulator.Tests.Llm;

internal static class HttpClientJsonExtensions
{
    public static async Task<JsonElement> GetFromJsonDocumentAsync(this HttpClient http, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await LlmTestClient.ReadJsonAsync(response);
    }
}
