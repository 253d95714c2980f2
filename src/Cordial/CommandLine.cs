namespace Cordial;

/// <summary>
/// The `cordial` command line: <c>cordial [verb] [--name value | --flag]…</c>. A verb is one small class in Verbs/.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: cordial [verb] [options]

          run            run the bot (the default; with no Discord token it starts the sandbox)
          emulator       run the Discord-compatible and OpenAI-compatible emulators
                           --port N      listen on 127.0.0.1:N (default 5080)
                           --token T     accept only this bot token (default: any well-formed token)
          help           print this text
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        CommandArguments arguments;
        try
        {
            arguments = CommandArguments.Parse(verb == "run" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..]);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"cordial: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var shutdown = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            shutdown.Cancel();
        };

        try
        {
            return verb switch
            {
                "emulator" => await EmulatorVerb.RunAsync(arguments, Console.Out, shutdown.Token),
                "help" or "--help" or "-h" => PrintUsage(),
                _ => Unknown(verb),
            };
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"cordial {verb}: {ex.Message}");
            return 2;
        }
    }

    private static int PrintUsage()
    {
        Console.WriteLine(Usage);
        return 0;
    }

    private static int Unknown(string verb)
    {
        Console.Error.WriteLine($"cordial: unknown or not yet available verb '{verb}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
