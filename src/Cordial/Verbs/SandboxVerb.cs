using Cordial.Sandbox;

namespace Cordial;

/// <summary>
/// <c>cordial sandbox</c> (and <c>cordial run</c> without a token): the Discord emulator, the simulated model (unless Llm
/// is configured), the sandbox page and the bot on one loopback port. Prints the page's address.
/// </summary>
internal static class SandboxVerb
{
    public static async Task<int> RunAsync(CommandArguments arguments, IConfiguration configuration, string contentRoot, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = new SandboxHostOptions
        {
            Port = arguments.GetInt32("port", configuration.GetValue("Http:Port", 5080), 0, 65535),
            DataDirectory = Path.Combine(contentRoot, arguments.GetString("data") ?? "data"),
            Configuration = configuration,
        };

        SandboxHost sandbox;
        try
        {
            sandbox = await SandboxHost.StartAsync(options, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync("cordial sandbox: " + ex.Message);
            return 1;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"cordial sandbox: cannot listen on port {options.Port}: {ex.Message} (try --port 0)");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C (or SIGTERM) before the sandbox was ready: it stopped what it had started; nothing went wrong.
            return 0;
        }

        await using (sandbox)
        {
            await output.WriteLineAsync($"""
                Cordial sandbox is running: open {sandbox.PageAddress}
                  a local Discord-compatible server with the bot "Cordial" in the guild "Cordial Sandbox"
                  channels: #general (mention the bot), #ask-anything (it answers everything), #threads (a thread per conversation)
                  model: {(sandbox.Llm is null ? "the configured LLM" : "the SIMULATED model (it echoes you; configure Llm to use a real one)")}
                  data: {options.DataDirectory}
                Press Ctrl+C to stop.
                """);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }
}
