using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Housekeeping;
using Cordial.Bot.Permissions;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Triggers;
using Cordial.Llm.Configuration;
using Cordial.Llm.Quotas;
using Cordial.Llm.Resilience;
using Cordial.Llm.Tools;
using Cordial.Storage;
using Microsoft.Extensions.Options;

namespace Cordial.Configuration;

/// <summary>
/// Every setting of Cordial, bound from one <see cref="IConfiguration"/>, with every problem found while binding and
/// validating. <see cref="Load"/> never throws for bad configuration: it reports.
/// </summary>
internal sealed class CordialSettings
{
    public DiscordOptions Discord { get; private init; } = new();
    public HttpOptions Http { get; private init; } = new();
    public LlmOptions Llm { get; private init; } = new();
    public LlmResilienceOptions LlmResilience { get; private init; } = new();
    public ToolOptions LlmTools { get; private init; } = new();
    public ConversationOptions Conversations { get; private init; } = new();
    public PromptOptions Prompt { get; private init; } = new();
    public TriggerOptions Triggers { get; private init; } = new();
    public AccessOptions Access { get; private init; } = new();
    public RespondingOptions Responding { get; private init; } = new();
    public DeliveryOptions Delivery { get; private init; } = new();
    public StorageOptions Storage { get; private init; } = new();
    public HousekeepingOptions Housekeeping { get; private init; } = new();

    /// <summary>Every problem, each naming its setting. Empty when the configuration is usable.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    /// <summary>Whether a real LLM is configured (the sandbox otherwise uses its simulated model).</summary>
    public bool HasLlm => Llm.Providers.Count > 0 || Llm.Models.Count > 0;

    /// <summary>Binds and validates everything.</summary>
    /// <param name="requireToken">Whether a Discord token must be set (the bot) or not (the sandbox).</param>
    public static CordialSettings Load(IConfiguration configuration, bool requireToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var settings = new CordialSettings
        {
            Discord = Bind<DiscordOptions>(configuration, DiscordOptions.SectionName, problems),
            Http = Bind<HttpOptions>(configuration, HttpOptions.SectionName, problems),
            Llm = BindLlm(configuration, problems),
            LlmResilience = Bind<LlmResilienceOptions>(configuration, LlmResilienceOptions.SectionName, problems),
            LlmTools = Bind<ToolOptions>(configuration, ToolOptions.SectionName, problems),
            Conversations = Bind<ConversationOptions>(configuration, "Bot:Conversations", problems),
            Prompt = Bind<PromptOptions>(configuration, "Bot:Prompt", problems),
            Triggers = Bind<TriggerOptions>(configuration, "Bot:Triggers", problems),
            Access = Bind<AccessOptions>(configuration, "Bot:Access", problems),
            Responding = Bind<RespondingOptions>(configuration, "Bot:Responding", problems),
            Delivery = Bind<DeliveryOptions>(configuration, DeliveryOptions.SectionName, problems),
            Storage = Bind<StorageOptions>(configuration, "Storage", problems),
            Housekeeping = Bind<HousekeepingOptions>(configuration, HousekeepingOptions.SectionName, problems),
        };

        problems.AddRange(settings.Discord.Validate(requireToken));
        problems.AddRange(settings.Http.Validate());
        if (requireToken || settings.HasLlm)
        {
            problems.AddRange(new LlmOptionsValidator().Validate(settings.Llm));
        }

        problems.AddRange(Failures(new LlmResilienceOptionsValidator().Validate(null, settings.LlmResilience), LlmResilienceOptions.SectionName));
        problems.AddRange(Failures(new ToolOptionsValidator().Validate(null, settings.LlmTools), ToolOptions.SectionName));
        problems.AddRange(Failures(new QuotaOptionsValidator().Validate(null, Bind<QuotaOptions>(configuration, QuotaOptions.SectionName, problems)), QuotaOptions.SectionName));
        problems.AddRange(settings.Conversations.Validate());
        problems.AddRange(settings.Prompt.Validate());
        problems.AddRange(settings.Triggers.Validate());
        problems.AddRange(settings.Responding.Validate());
        problems.AddRange(Failures(new DeliveryOptionsValidator().Validate(null, settings.Delivery), DeliveryOptions.SectionName));
        problems.AddRange(settings.Storage.Validate());
        if (configuration["Storage:NodeCacheSize"] is not null)
        {
            problems.Add($"Storage:NodeCacheSize is no longer read: the node cache is bounded by bytes, Storage:NodeCacheBytes (default {StorageOptions.DefaultNodeCacheBytes}, {StorageOptions.DefaultNodeCacheBytes >> 20} MiB).");
        }
        problems.AddRange(settings.Housekeeping.Validate());
        return new CordialSettings
        {
            Discord = settings.Discord,
            Http = settings.Http,
            Llm = settings.Llm,
            LlmResilience = settings.LlmResilience,
            LlmTools = settings.LlmTools,
            Conversations = settings.Conversations,
            Prompt = settings.Prompt,
            Triggers = settings.Triggers,
            Access = settings.Access,
            Responding = settings.Responding,
            Delivery = settings.Delivery,
            Storage = settings.Storage,
            Housekeeping = settings.Housekeeping,
            Problems = problems.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Binds one section; a value that cannot be converted becomes a problem naming the section.</summary>
    internal static T Bind<T>(IConfiguration configuration, string section, List<string> problems)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{section}: {Describe(ex)}");
        }
        catch (FormatException ex)
        {
            problems.Add($"{section}: {ex.Message}");
        }

        return options;
    }

    private static LlmOptions BindLlm(IConfiguration configuration, List<string> problems)
    {
        var options = new LlmOptions();
        try
        {
            LlmOptionsBinder.Bind(configuration.GetSection(LlmOptions.SectionName), options);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{LlmOptions.SectionName}: {Describe(ex)}");
        }

        return options;
    }

    private static string Describe(InvalidOperationException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private static IEnumerable<string> Failures(ValidateOptionsResult result, string section) =>
        result.Failed
            ? (result.Failures ?? [result.FailureMessage]).Select(f => f.StartsWith(section, StringComparison.Ordinal) ? f : $"{section}: {f}")
            : [];
}
