using System.Diagnostics.Metrics;
using System.Net;
using Cordial.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Discord.Tests.Rest;

public sealed class DiscordRestServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_registered_client_uses_the_factory_http_client_and_publishes_its_counters()
    {
        var handler = new FakeDiscordHandler
        {
            Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, """{"id":"5","username":"Cordial","bot":true}""")),
        };
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddDiscordRest(o => o.Token = "abc");
        services.AddHttpClient(DiscordRestServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<DiscordRestClient>();
        var me = await client.GetCurrentUserAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5UL, me.Id);
        Assert.Single(handler.Requests);
        Assert.Same(client, provider.GetRequiredService<DiscordRestClient>());

        var observed = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DiscordRestClient.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(1, observed["cordial.discord.rest.requests"]);
        Assert.Equal(0, observed["cordial.discord.rest.rate_limited"]);
        Assert.Equal(0, observed["cordial.discord.rest.invalid_requests"]);
    }

    [Fact]
    public async Task Invalid_registered_options_fail_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddDiscordRest(o => o.BaseAddress = new Uri("http://discord.example/api/v10/"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RestClientOptions>>().Value);

        Assert.Contains("Discord:Rest:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains("Discord:Rest:BaseAddress", error.Message, StringComparison.Ordinal);
    }
}
