using System.Diagnostics;

namespace Cordial.LoadTest;

/// <summary>How to start another <c>cordial</c> process: this executable, or <c>dotnet cordial.dll</c> under the dotnet host.</summary>
internal sealed record CordialExecutable(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public static CordialExecutable Current()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var name = Path.GetFileNameWithoutExtension(processPath);
        if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var assembly = typeof(CordialExecutable).Assembly.Location;
            if (string.IsNullOrEmpty(assembly))
            {
                assembly = Path.Combine(AppContext.BaseDirectory, "cordial.dll");
            }

            return new CordialExecutable(processPath, [assembly]);
        }

        return new CordialExecutable(processPath, []);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FileName);
        foreach (var argument in PrefixArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
