using System.Collections.Frozen;
using System.Globalization;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Providers;

/// <summary>
/// The configured models: an immutable snapshot built from validated <see cref="LlmOptions"/>, and the raw provider
/// <see cref="IChatClient"/> for each model (created on first use, then cached).
/// </summary>
/// <remarks>
/// Thread-safe. Owns the provider clients and their HTTP connection pools: disposing the catalog releases them.
/// Model names compare case-insensitively; the names returned are the configured spelling.
/// </remarks>
public sealed class ModelCatalog : IDisposable
{
    private readonly FrozenDictionary<string, Entry> _models;
    private readonly FrozenDictionary<ulong, string> _guildModels;
    private readonly FrozenDictionary<ulong, string> _channelModels;
    private readonly Lock _ownedGate = new();
    private readonly List<IDisposable> _owned = [];
    private bool _disposed;

    /// <summary>Validates <paramref name="options"/> (throwing <see cref="OptionsValidationException"/> listing every
    /// problem) and snapshots them; later changes to <paramref name="options"/> have no effect.</summary>
    /// <param name="options">The bound options.</param>
    /// <param name="environment">Where API keys are read from; default: the process environment.</param>
    /// <param name="timeProvider">Used to read HTTP-date Retry-After headers; default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">For Debug-level logs of provider failures (never content); default: none.</param>
    public ModelCatalog(
        LlmOptions options, EnvironmentVariableLookup? environment = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        timeProvider ??= TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ModelCatalog>();

        var errors = new LlmOptionsValidator(environment).Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(LlmOptions.SectionName, typeof(LlmOptions), errors);
        }

        var pools = options.Providers.ToDictionary(
            p => p.Key,
            _ => new Lazy<HttpMessageHandler>(() =>
            {
                // Only ever evaluated inside a client factory below, which holds _ownedGate.
                var pool = ProviderClientFactory.CreateConnectionPool();
                _owned.Add(pool);
                return pool;
            }),
            StringComparer.OrdinalIgnoreCase);

        var names = new List<string>(options.Models.Count);
        var entries = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, configured) in options.Models)
        {
            var model = configured.Clone();
            var providerName = options.Providers.Keys.First(k => string.Equals(k, model.Provider, StringComparison.OrdinalIgnoreCase));
            var provider = options.Providers[providerName].Clone();
            model.Provider = providerName;
            model.ModelId ??= name;
            var identity = new ProviderIdentity(name, providerName, model.ModelId);
            var apiKey = string.IsNullOrWhiteSpace(provider.ApiKeyEnvironmentVariable) ? null : environment(provider.ApiKeyEnvironmentVariable);
            var pool = pools[providerName];
            var client = new Lazy<IChatClient>(
                () =>
                {
                    lock (_ownedGate)
                    {
                        ObjectDisposedException.ThrowIf(_disposed, this);
                        return ProviderClientFactory.Create(identity, provider, model, apiKey, pool.Value, timeProvider, logger, _owned);
                    }
                },
                LazyThreadSafetyMode.ExecutionAndPublication);
            entries[name] = new Entry(name, model, client);
            names.Add(name);
        }

        _models = entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        ModelNames = names.AsReadOnly();
        DefaultModel = string.IsNullOrWhiteSpace(options.DefaultModel) ? names[0] : _models[options.DefaultModel].Name;
        _guildModels = ParseOverrides(options.GuildModels);
        _channelModels = ParseOverrides(options.ChannelModels);
    }

    /// <summary>Every configured model name, in configuration order.</summary>
    public IReadOnlyList<string> ModelNames { get; }

    /// <summary>The model used when no override applies.</summary>
    public string DefaultModel { get; }

    /// <summary>The settings of <paramref name="name"/> (part of the snapshot: do not modify). <see cref="ModelOptions.ModelId"/>
    /// is always filled in and <see cref="ModelOptions.Provider"/> is the provider's configured spelling.</summary>
    /// <exception cref="KeyNotFoundException">No model of that name is configured.</exception>
    public ModelOptions GetModel(string name) => Get(name).Options;

    /// <summary>Whether <paramref name="name"/> is a configured model; gives its configured spelling.</summary>
    public bool TryGetModelName(string? name, out string configuredName)
    {
        if (name is not null && _models.TryGetValue(name, out var entry))
        {
            configuredName = entry.Name;
            return true;
        }

        configuredName = "";
        return false;
    }

    /// <summary>The model for a message: the channel's override, else the guild's, else <see cref="DefaultModel"/>.</summary>
    public string ResolveModel(ulong? guildId, ulong? channelId)
    {
        if (channelId is { } channel && _channelModels.TryGetValue(channel, out var byChannel))
        {
            return byChannel;
        }

        if (guildId is { } guild && _guildModels.TryGetValue(guild, out var byGuild))
        {
            return byGuild;
        }

        return DefaultModel;
    }

    /// <summary>The raw provider client for <paramref name="modelName"/> (no middleware), created once and cached.
    /// Owned by the catalog: callers must not dispose it.</summary>
    /// <exception cref="KeyNotFoundException">No model of that name is configured.</exception>
    /// <exception cref="ObjectDisposedException">The catalog was disposed.</exception>
    public IChatClient GetProviderClient(string modelName)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        return Get(modelName).Client.Value;
    }

    public void Dispose()
    {
        List<IDisposable> owned;
        lock (_ownedGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            owned = [.. _owned];
            _owned.Clear();
        }

        for (var i = owned.Count - 1; i >= 0; i--)
        {
            owned[i].Dispose();
        }
    }

    private Entry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _models.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"Model '{name}' is not configured (known: {string.Join(", ", ModelNames)}).");
    }

    private FrozenDictionary<ulong, string> ParseOverrides(Dictionary<string, string> overrides) =>
        overrides.ToFrozenDictionary(
            o => ulong.Parse(o.Key, NumberStyles.None, CultureInfo.InvariantCulture),
            o => _models[o.Value].Name);

    private sealed record Entry(string Name, ModelOptions Options, Lazy<IChatClient> Client);
}
