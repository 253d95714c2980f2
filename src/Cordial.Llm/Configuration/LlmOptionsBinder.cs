using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Cordial.Llm.Configuration;

/// <summary>
/// Binds <see cref="LlmOptions"/> from the <c>Llm</c> section. Ordinary binding, plus one thing the binder cannot do:
/// nested sections under <c>Body</c> / <c>Parameters</c> become JSON text (objects, or arrays for keys 0..n).
/// </summary>
public static class LlmOptionsBinder
{
    /// <summary>Binds <paramref name="section"/> (the <c>Llm</c> section itself) onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration section, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        section.Bind(options);

        foreach (var provider in section.GetSection("Providers").GetChildren())
        {
            if (options.Providers.TryGetValue(provider.Key, out var bound))
            {
                AddNestedJson(provider.GetSection("Body"), bound.Body);
            }
        }

        foreach (var model in section.GetSection("Models").GetChildren())
        {
            if (options.Models.TryGetValue(model.Key, out var bound))
            {
                AddNestedJson(model.GetSection("Parameters"), bound.Parameters);
            }
        }
    }

    /// <summary>Creates and binds a new <see cref="LlmOptions"/> from the root configuration's <c>Llm</c> section.</summary>
    public static LlmOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new LlmOptions();
        Bind(configuration.GetSection(LlmOptions.SectionName), options);
        return options;
    }

    private static void AddNestedJson(IConfigurationSection section, Dictionary<string, string> target)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is null && child.GetChildren().Any())
            {
                target[child.Key] = ToNode(child)?.ToJsonString() ?? "null";
            }
        }
    }

    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return JsonSettingValue.Parse(section.Value);
        }

        var isArray = children
            .Select(c => int.TryParse(c.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Order()
            .SequenceEqual(Enumerable.Range(0, children.Count));
        if (isArray)
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)))
            {
                array.Add(ToNode(child));
            }

            return array;
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = ToNode(child);
        }

        return obj;
    }
}
