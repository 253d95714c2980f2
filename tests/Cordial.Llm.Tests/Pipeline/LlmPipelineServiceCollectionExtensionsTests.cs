using Cordial.Emulator.Llm;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Resilience;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Pipeline;

public sealed class LlmPipelineServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddCordialLlm(configuration).BuildServiceProvider();
    }

    private static Dictionary<string, string?> Valid(Uri openAIBase) => new()
    {
        ["Llm:Providers:emu:Kind"] = "openai",
        ["Llm:Providers:emu:BaseUrl"] = openAIBase.ToString(),
        ["Llm:Models:small:Provider"] = "emu",
        ["Llm:Models:small:ModelId"] = "sim-small",
        ["Llm:Resilience:MaxRetries"] = "1",
        ["Llm:Resilience:BaseDelay"] = "00:00:00.010",
        ["Llm:Tools:MaxRounds"] = "2",
    };

    [Fact]
    public async Task Composed_client_answers_through_the_registered_pipeline()
    {
        await using var host = await LlmEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        host.Emulator.SetDefaultBehavior(new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 });
        host.Emulator.InjectFault(new LlmFault.ServerError(503), "sim-small");
        await using var services = Build(Valid(host.OpenAIBaseAddress));
        services.GetRequiredService<IStartupValidator>().Validate();

        var client = services.GetRequiredService<IChatClient>();
        var (response, _) = await ChatRun.AskAsync(client, streaming: true, [new ChatMessage(ChatRole.User, "wired up")]);

        Assert.Equal(LlmEmulator.EchoPrefix + "wired up", response.Text);
        Assert.Equal("small", response.ModelId);
        Assert.Equal(2, host.Emulator.Requests.Count); // the 503 was retried once (Llm:Resilience:MaxRetries = 1)
        Assert.Equal(2, services.GetRequiredService<IOptions<ToolOptions>>().Value.MaxRounds);
        Assert.Same(services.GetRequiredService<ToolRegistry>(), services.GetRequiredService<ToolRegistry>());
    }

    [Theory]
    [InlineData("Llm:Resilience:MaxRetries", "-1")]
    [InlineData("Llm:Resilience:FirstTokenTimeout", "00:00:00")]
    [InlineData("Llm:Tools:MaxRounds", "100")]
    [InlineData("Llm:Tools:ToolTimeout", "00:00:00")]
    public void Invalid_setting_fails_at_start_naming_it(string setting, string value)
    {
        var settings = Valid(new Uri("http://127.0.0.1:9/v1/"));
        settings[setting] = value;
        using var services = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
