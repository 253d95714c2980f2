using BenchmarkDotNet.Running;
using Cordial.Benchmarks.Reporting;

if (args.Length > 0 && args[0] == SummaryCommand.Verb)
{
    return SummaryCommand.Run(args, Console.Out, Console.Error, TimeProvider.System);
}

BenchmarkSwitcher.FromAssembly(typeof(SummaryCommand).Assembly).Run(args);
return 0;
