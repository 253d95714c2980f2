namespace Cordial.Llm.Configuration;

/// <summary>Reads an environment variable (injectable so tests need not touch the process environment).</summary>
/// <returns>The value, or <see langword="null"/> when the variable is not set.</returns>
public delegate string? EnvironmentVariableLookup(string name);
