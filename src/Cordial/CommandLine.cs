using System.Runtime.InteropServices;
using Cordial.Configuration;

namespace Cordial;

/// <summary>
/// The `cordial` command line: <c>cordial [verb] [--name value | --flag]…</c>. A verb is one small class in Verbs/.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: cordial [verb] [options]

          run            run the bot (the default); with no Discord token it starts the sandbox
                           --port N      /health and /alive on 127.0.0.1:N (default Http:Port, 5080)
          sandbox        the sandbox: a local Discord-compatible server, the bot and a chat page on one port
                           --port N      listen on 127.0.0.1:N (default 5080; 0 = any free port)
                           --data DIR    where the sandbox keeps its database (default data)
          check-config   validate the configuration and print "configuration OK" or every problem (exit 1)
          emulator       run the Discord-compatible and OpenAI-compatible emulators
                           --port N      listen on 127.0.0.1:N (default 5080)
                           --token T     accept only this bot token (default: any well-formed token)
          loadtest       start the emulators and the bot as child processes and measure it under simulated users
                           --users N --duration S [--warmup S] [--guilds G] [--channels C]
                           [--mix mention=70,slash=20,image=10] [--ttft-ms 300] [--tokens-per-second 50]
                           [--answer-tokens 60] [--think-ms 1000] [--answer-timeout 120] [--seed 1]
                           [--out DIR] [--json FILE] [--html FILE]      (see docs/LOADTEST.md)
          help           print this text

        Configuration: appsettings.json, cordial.json in the working directory, environment variables
        (Discord__Token or CORDIAL_Discord__Token). See docs/CONFIGURATION.md.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        CommandArguments arguments;
        try
        {
            arguments = CommandArguments.Parse(args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"cordial: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // Ctrl+C, and the SIGTERM that service managers and containers send, both stop the verb gracefully.
        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        if (Environment.GetEnvironmentVariable(LoadTest.ChildProcess.StopWhenStdinClosesVariable) == "1")
        {
            StopWhenStdinCloses(shutdown); // a child of `cordial loadtest`: it never outlives its parent
        }

        var contentRoot = Directory.GetCurrentDirectory();
        try
        {
            return verb switch
            {
                "run" => await RunVerb.RunAsync(arguments, CordialConfiguration.Build(contentRoot), contentRoot, Console.Out, Console.Error, shutdown.Token),
                "sandbox" => await SandboxVerb.RunAsync(arguments, CordialConfiguration.Build(contentRoot), contentRoot, Console.Out, Console.Error, shutdown.Token),
                "check-config" => CheckConfigVerb.Run(CordialConfiguration.Build(contentRoot), Console.Out, Console.Error),
                "emulator" => await EmulatorVerb.RunAsync(arguments, Console.Out, shutdown.Token),
                "loadtest" => await LoadTestVerb.RunAsync(arguments, args[1..], Console.Out, Console.Error, shutdown.Token),
                "help" or "--help" or "-h" => PrintUsage(),
                _ => Unknown(verb),
            };
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"cordial {verb}: {ex.Message}");
            return 2;
        }
        catch (InvalidDataException ex)
        {
            // A JSON settings file that does not parse.
            Console.Error.WriteLine($"cordial {verb}: {ex.Message}");
            return 1;
        }
    }

    private static void StopWhenStdinCloses(CancellationTokenSource shutdown)
    {
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            try
            {
                shutdown.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        })
        { IsBackground = true, Name = "stdin watcher" };
        watcher.Start();
    }

    private static int PrintUsage()
    {
        Console.WriteLine(Usage);
        return 0;
    }

    private static int Unknown(string verb)
    {
        Console.Error.WriteLine($"cordial: unknown verb '{verb}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
