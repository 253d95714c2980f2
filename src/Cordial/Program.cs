// The `cordial` executable. Verbs are wired in as their features land (see README).
return await Cordial.CommandLine.RunAsync(args);
