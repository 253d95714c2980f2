using Cordial.Configuration;

namespace Cordial;

/// <summary><c>cordial check-config</c>: runs the start-up validation and prints "configuration OK" or every problem.</summary>
internal static class CheckConfigVerb
{
    public static int Run(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var hasToken = CordialSettings.Bind<DiscordOptions>(configuration, DiscordOptions.SectionName, []).HasToken;
        var settings = CordialSettings.Load(configuration, requireToken: hasToken);
        if (settings.Problems.Count > 0)
        {
            error.WriteLine($"configuration has {settings.Problems.Count} problem(s):");
            foreach (var problem in settings.Problems)
            {
                error.WriteLine("  - " + problem);
            }

            return 1;
        }

        output.WriteLine(hasToken
            ? "configuration OK"
            : "configuration OK (no Discord token: `cordial run` starts the sandbox)");
        return 0;
    }
}
