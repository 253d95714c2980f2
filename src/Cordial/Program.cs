// The `cordial` executable. Verbs are wired in as their features land (see README).
Cordial.Hosting.StartupHeapLimit.Lift(Console.Error);
return await Cordial.CommandLine.RunAsync(args);
