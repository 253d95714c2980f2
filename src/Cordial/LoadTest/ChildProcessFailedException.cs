namespace Cordial.LoadTest;

/// <summary>A child process of the load test exited early or did not become ready; the message says which and why.</summary>
internal sealed class ChildProcessFailedException(string message) : Exception(message);
