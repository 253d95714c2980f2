// Each test starts real servers and a real bot; run them one after another so a 2-core machine is not oversubscribed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
