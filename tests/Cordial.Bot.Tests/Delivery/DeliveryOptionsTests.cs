using Cordial.Bot.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Bot.Tests.Delivery;

public sealed class DeliveryOptionsTests
{
    public static TheoryData<string, Action<DeliveryOptions>> InvalidSettings => new()
    {
        { "MaxMessageLength", o => o.MaxMessageLength = 2001 },
        { "MaxMessageLength", o => o.MaxMessageLength = 100 },
        { "MaxMessageLength", o => { o.Mode = DeliveryMode.Embed; o.MaxMessageLength = 5000; } },
        { "TypingRefresh", o => o.TypingRefresh = TimeSpan.Zero },
        { "TypingRefresh", o => o.TypingRefresh = TimeSpan.FromSeconds(30) },
        { "DoneColor", o => o.DoneColor = 0x1000000 },
        { "InProgressColor", o => o.InProgressColor = -1 },
        { "FailedColor", o => o.FailedColor = int.MaxValue },
        { "MaxConsecutiveFailures", o => o.MaxConsecutiveFailures = 0 },
        { "Mode", o => o.Mode = (DeliveryMode)7 },
        { "MaxReplyLength", o => o.MaxReplyLength = 999 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_setting_is_rejected_with_its_name(string setting, Action<DeliveryOptions> change)
    {
        var options = new DeliveryOptions();
        change(options);

        var result = new DeliveryOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);

        var ex = Assert.Throws<OptionsValidationException>(() => new ReplyStreamer(new FakeReplySurface(), null, options));
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);

        // The factory checks its options once, on first use, and refuses every reply while they are invalid.
        var factory = new ReplyStreamerFactory(
            Options.Create(options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReplyStreamer>.Instance, new GenerationFailureDescriber());
        for (var reply = 0; reply < 2; reply++)
        {
            var refused = Assert.Throws<OptionsValidationException>(() => factory.Create(new FakeReplySurface()));
            Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Defaults_are_valid_and_follow_the_mode()
    {
        var options = new DeliveryOptions();
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(MessageSplitter.PlainLimit, options.EffectiveMaxMessageLength);
        options.Mode = DeliveryMode.Embed;
        Assert.Equal(MessageSplitter.EmbedLimit, options.EffectiveMaxMessageLength);
        options.MaxMessageLength = 3000;
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(3000, options.EffectiveMaxMessageLength);
    }

    [Fact]
    public void AddReplyDelivery_binds_the_Delivery_section_and_validates_it()
    {
        using var good = Provider(new() { ["Delivery:Mode"] = "Embed", ["Delivery:DoneColor"] = "255", ["Delivery:TypingRefresh"] = "00:00:05" });
        var options = good.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal(DeliveryMode.Embed, options.Mode);
        Assert.Equal(255, options.DoneColor);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TypingRefresh);
        Assert.NotNull(good.GetRequiredService<ReplyStreamerFactory>().Create(new FakeReplySurface(), 1));

        using var bad = Provider(new() { ["Delivery:MaxMessageLength"] = "2500" });
        var ex = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<DeliveryOptions>>().Value);
        Assert.Contains("MaxMessageLength", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddReplyDelivery();
        return services.BuildServiceProvider();
    }
}
