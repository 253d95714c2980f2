using System.Collections.Frozen;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tools;

/// <summary>
/// The tools the bot offers to models, registered explicitly by name (no scanning). Each is an <see cref="AIFunction"/>,
/// typically made with <see cref="AIFunctionFactory"/>.
/// </summary>
/// <remarks>Thread-safe: registration swaps an immutable snapshot; readers never lock. At most <see cref="MaxTools"/> tools.</remarks>
public sealed class ToolRegistry
{
    /// <summary>The most tools a registry holds (every tool's schema is sent with each request).</summary>
    public const int MaxTools = 64;

    private readonly Lock _gate = new();
    private FrozenDictionary<string, AIFunction> _byName = FrozenDictionary<string, AIFunction>.Empty;
    private AITool[] _tools = [];

    /// <summary>The registered tools, in registration order.</summary>
    public IReadOnlyList<AITool> Tools => Volatile.Read(ref _tools);

    /// <summary>Number of registered tools.</summary>
    public int Count => Volatile.Read(ref _tools).Length;

    /// <summary>Registers a tool under its <see cref="AITool.Name"/>.</summary>
    /// <exception cref="ArgumentException">A tool with that name is already registered, or the name is blank.</exception>
    /// <exception cref="InvalidOperationException">The registry already holds <see cref="MaxTools"/> tools.</exception>
    public ToolRegistry Add(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool.Name, nameof(tool));
        lock (_gate)
        {
            if (_byName.ContainsKey(tool.Name))
            {
                throw new ArgumentException($"A tool named '{tool.Name}' is already registered.", nameof(tool));
            }

            if (_tools.Length >= MaxTools)
            {
                throw new InvalidOperationException($"The tool registry is full ({MaxTools} tools).");
            }

            var byName = new Dictionary<string, AIFunction>(_byName, StringComparer.Ordinal) { [tool.Name] = tool };
            Volatile.Write(ref _byName, byName.ToFrozenDictionary(StringComparer.Ordinal));
            Volatile.Write(ref _tools, [.. _tools, tool]);
        }

        return this;
    }

    /// <summary>Registers a delegate as a tool (see <see cref="AIFunctionFactory.Create(Delegate, string?, string?, System.Text.Json.JsonSerializerOptions?)"/>).</summary>
    public ToolRegistry Add(string name, string description, Delegate method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(method);
        return Add(AIFunctionFactory.Create(method, name, description));
    }

    /// <summary>Finds a tool by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AIFunction? tool)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Volatile.Read(ref _byName).TryGetValue(name, out tool);
    }
}
