namespace Cordial;

/// <summary>Dispatches the first argument to a verb.</summary>
internal static class CommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        Console.Error.WriteLine($"cordial: the '{verb}' verb is not available yet.");
        return Task.FromResult(2);
    }
}
