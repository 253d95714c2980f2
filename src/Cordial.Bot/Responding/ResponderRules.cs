using Cordial.Bot.Permissions;
using Cordial.Bot.Triggers;

namespace Cordial.Bot.Responding;

/// <summary>The hot-reloadable rules: replaced as a whole when the configuration changes, never half-applied.</summary>
public sealed record ResponderRules(TriggerEvaluator Triggers, AccessPolicy Access)
{
    public static ResponderRules Default { get; } = new(new TriggerEvaluator(new TriggerOptions()), new AccessPolicy(new AccessOptions()));
}
