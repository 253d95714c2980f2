using Cordial.Configuration;
using Cordial.Discord.Gateway;

namespace Cordial.Integration.Tests;

/// <summary>Binding and validation of every section: each problem names its setting; check-config prints them.</summary>
public sealed class ConfigurationTests
{
    private static IConfigurationRoot Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Dictionary<string, string?> ValidBot() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Discord:Token"] = "abc.def.ghi",
        ["Llm:Providers:local:Kind"] = "openai",
        ["Llm:Providers:local:BaseUrl"] = "http://127.0.0.1:11434/v1",
        ["Llm:Models:llama:Provider"] = "local",
    };

    [Fact]
    public void Defaults_with_a_token_and_a_model_are_valid()
    {
        var settings = CordialSettings.Load(Config(ValidBot()), requireToken: true);

        Assert.Empty(settings.Problems);
        Assert.True(settings.HasLlm);
        Assert.Equal(GatewayCompression.ZlibStream, settings.Discord.Compression);
        Assert.True(settings.Discord.EffectiveIntents.HasFlag(GatewayIntents.MessageContent));
        Assert.Equal(5080, settings.Http.Port);
        Assert.Equal("sqlite", settings.Storage.Provider);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_each_naming_its_setting()
    {
        var settings = CordialSettings.Load(Config(new Dictionary<string, string?>
        {
            ["Discord:RestBaseUrl"] = "http://discord.example.com/api/v10/",
            ["Discord:EventHandlers"] = "0",
            ["Discord:LastShardId"] = "3",
            ["Discord:ShardCount"] = "2",
            ["Http:Address"] = "everywhere",
            ["Bot:Conversations:MaxMessages"] = "0",
            ["Bot:Responding:MaxReplyDuration"] = "not a duration",
            ["Bot:Prompt:SystemPrompt"] = " ",
            ["Delivery:MaxReplyLength"] = "5",
            ["Storage:Provider"] = "mysql",
            ["Llm:Resilience:MaxRetries"] = "-1",
            ["Llm:Quotas:User:RequestsPerDay"] = "-2",
        }), requireToken: true);

        string[] expected =
        [
            "Discord:Token", "Discord:RestBaseUrl", "Discord:EventHandlers", "Discord:FirstShardId/LastShardId", "Http:Address",
            "Bot:Conversations:MaxMessages", "Bot:Responding", "Bot:Prompt:SystemPrompt", "MaxReplyLength", "Storage:Provider",
            "Llm:Providers", "Llm:Resilience:MaxRetries", "Llm:Quotas:User:RequestsPerDay",
        ];
        foreach (var name in expected)
        {
            Assert.Contains(settings.Problems, p => p.Contains(name, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("abc def", false)]
    [InlineData("abc\tdef", false)]
    [InlineData("Bot abc.def", true)]
    [InlineData("  abc.def  ", true)]
    public void A_token_with_whitespace_inside_is_refused(string token, bool valid)
    {
        var values = ValidBot();
        values["Discord:Token"] = token;
        var problems = CordialSettings.Load(Config(values), requireToken: true).Problems;

        Assert.Equal(valid, !problems.Any(p => p.StartsWith("Discord:Token", StringComparison.Ordinal)));
        Assert.DoesNotContain(problems, p => p.Contains("abc", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_token_the_sandbox_needs_neither_a_token_nor_a_model()
    {
        var settings = CordialSettings.Load(Config([]), requireToken: false);

        Assert.Empty(settings.Problems);
        Assert.False(settings.HasLlm);
    }

    [Fact]
    public void Message_content_can_be_switched_off_and_intents_are_named()
    {
        var values = ValidBot();
        values["Discord:MessageContent"] = "false";
        values["Discord:Intents"] = "Guilds, GuildMessages";
        var settings = CordialSettings.Load(Config(values), requireToken: true);

        Assert.Empty(settings.Problems);
        Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMessages, settings.Discord.EffectiveIntents);
    }

    [Fact]
    public void The_node_cache_is_bounded_by_bytes_and_the_old_count_setting_is_named_as_replaced()
    {
        var values = ValidBot();
        Assert.Equal(4L * 1024 * 1024, CordialSettings.Load(Config(values), requireToken: true).Storage.NodeCacheBytes);

        values["Storage:NodeCacheBytes"] = "1000";
        values["Storage:NodeCacheSize"] = "50000";
        var settings = CordialSettings.Load(Config(values), requireToken: true);

        Assert.Equal(2, settings.Problems.Count);
        Assert.Contains(settings.Problems, p => p.StartsWith("Storage:NodeCacheBytes must be from 65536", StringComparison.Ordinal) && p.Contains("(was 1000)", StringComparison.Ordinal));
        Assert.Contains(settings.Problems, p => p.StartsWith("Storage:NodeCacheSize is no longer read", StringComparison.Ordinal) && p.Contains("Storage:NodeCacheBytes", StringComparison.Ordinal));

        values.Remove("Storage:NodeCacheSize");
        values["Storage:NodeCacheBytes"] = "16777216";
        settings = CordialSettings.Load(Config(values), requireToken: true);
        Assert.Empty(settings.Problems);
        Assert.Equal(16L * 1024 * 1024, settings.Storage.NodeCacheBytes);
    }

    [Fact]
    public void Channel_rules_bind_by_channel_id()
    {
        var values = ValidBot();
        values["Bot:Triggers:Channels:123456789012345678:Mode"] = "Keyword";
        values["Bot:Triggers:Channels:123456789012345678:Keywords:0"] = "help";
        values["Bot:Access:BlockedUserIds:0"] = "42";
        var settings = CordialSettings.Load(Config(values), requireToken: true);

        Assert.Empty(settings.Problems);
        Assert.Equal(["help"], settings.Triggers.Channels[123456789012345678].Keywords);
        Assert.Equal([42UL], settings.Access.BlockedUserIds);
    }

    [Fact]
    public void Check_config_prints_ok_or_every_problem_with_exit_code_one()
    {
        using var ok = new StringWriter();
        using var okErrors = new StringWriter();
        Assert.Equal(0, CheckConfigVerb.Run(Config(ValidBot()), ok, okErrors));
        Assert.Equal("configuration OK", ok.ToString().Trim());

        var bad = ValidBot();
        bad["Bot:Conversations:MaxImages"] = "99";
        bad["Llm:Models:llama:Provider"] = "nowhere";
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(1, CheckConfigVerb.Run(Config(bad), output, errors));
        Assert.Contains("Bot:Conversations:MaxImages", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Llm:Models:llama:Provider", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task An_edit_of_cordial_json_is_noticed_and_reloaded()
    {
        var root = Path.Combine(Path.GetTempPath(), "cordial-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var file = Path.Combine(root, CordialConfiguration.FileName);
            await File.WriteAllTextAsync(file, """{ "Bot": { "Prompt": { "SystemPrompt": "before" } } }""", TestContext.Current.CancellationToken);
            var configuration = CordialConfiguration.Build(root, includeEnvironment: false);
            Assert.Equal("before", configuration["Bot:Prompt:SystemPrompt"]);

            // Other files under the root (the database in data/) change all the time; this one is what is reloaded.
            Directory.CreateDirectory(Path.Combine(root, "data"));
            await File.WriteAllTextAsync(Path.Combine(root, "data", "cordial.db-wal"), "x", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(file, """{ "Bot": { "Prompt": { "SystemPrompt": "after" } } }""", TestContext.Current.CancellationToken);
            File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(2)); // a coarse file-system clock still shows a change

            await Eventually.UntilAsync(() => configuration["Bot:Prompt:SystemPrompt"], v => v == "after", "the edited file to be reloaded");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Cordial_json_in_the_content_root_is_read_and_overrides_win()
    {
        var root = Path.Combine(Path.GetTempPath(), "cordial-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, CordialConfiguration.FileName), """
                { "Discord": { "Token": "from.file", "EventHandlers": 7 }, "Bot": { "Prompt": { "SystemPrompt": "from the file" } } }
                """);
            var configuration = CordialConfiguration.Build(root, [new("Discord:EventHandlers", "9")], includeEnvironment: false);

            Assert.Equal("from.file", configuration["Discord:Token"]);
            Assert.Equal("9", configuration["Discord:EventHandlers"]);
            Assert.Equal("from the file", configuration["Bot:Prompt:SystemPrompt"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
