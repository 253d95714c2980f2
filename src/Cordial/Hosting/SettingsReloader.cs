using Cordial.Bot.Permissions;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Triggers;
using Cordial.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Cordial.Hosting;

/// <summary>
/// Applies edits of the Bot:Triggers, Bot:Access and Bot:Prompt sections while the bot runs (cordial.json and
/// appsettings.json are watched). Changes are applied once the configuration has been quiet for
/// <see cref="Settle"/> (an editor's save often arrives as several events); a new rule set replaces the old one whole;
/// an invalid edit is reported and ignored, the previous settings stay. Connection, model and storage settings need a
/// restart.
/// </summary>
internal sealed partial class SettingsReloader(
    IConfiguration configuration,
    MessageResponder responder,
    PromptOptions prompt,
    TimeProvider time,
    ILogger<SettingsReloader> logger) : IDisposable
{
    /// <summary>How long the configuration must stay unchanged before a reload is applied.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly Lock _gate = new();
    private IDisposable? _subscription;
    private ITimer? _pending;
    private long _applied;
    private long _rejected;
    private bool _disposed;

    /// <summary>How many configurations were applied (the initial one included).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>How many changed configurations were refused as invalid.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public void Start()
    {
        Apply(initial: true);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Schedule);
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_pending is null)
            {
                _pending = time.CreateTimer(_ => Apply(initial: false), null, Settle, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _pending.Change(Settle, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Apply(bool initial)
    {
        try
        {
            var problems = new List<string>();
            var triggers = CordialSettings.Bind<TriggerOptions>(configuration, "Bot:Triggers", problems);
            var access = CordialSettings.Bind<AccessOptions>(configuration, "Bot:Access", problems);
            var newPrompt = CordialSettings.Bind<PromptOptions>(configuration, "Bot:Prompt", problems);
            problems.AddRange(triggers.Validate());
            problems.AddRange(newPrompt.Validate());
            if (problems.Count > 0)
            {
                Interlocked.Increment(ref _rejected);
                Log.Rejected(logger, string.Join(" ", problems));
                return;
            }

            responder.Rules = new ResponderRules(new TriggerEvaluator(triggers), new AccessPolicy(access));
            prompt.Personas = newPrompt.Personas;
            prompt.IncludeUserNames = newPrompt.IncludeUserNames;
            prompt.SystemPrompt = newPrompt.SystemPrompt;
            Interlocked.Increment(ref _applied);
            if (!initial)
            {
                Log.Reloaded(logger);
            }
        }
        catch (Exception ex) when (!initial)
        {
            // A timer callback must never throw: keep the previous settings.
            Interlocked.Increment(ref _rejected);
            Log.Rejected(logger, ex.Message);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending?.Dispose();
            _pending = null;
        }

        _subscription?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Configuration reloaded: new trigger, access and prompt settings apply")]
        public static partial void Reloaded(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "Configuration change ignored, the previous settings stay: {Problems}")]
        public static partial void Rejected(ILogger logger, string problems);
    }
}
