namespace Cordial.Storage;

/// <summary>Where Cordial keeps its state (configuration section "Storage").</summary>
public sealed class StorageOptions
{
    /// <summary>"sqlite" (default, a file next to the data) or "postgres" (several processes share state).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// For SQLite: a connection string or a file path (default "data/cordial.db").
    /// For PostgreSQL: an Npgsql connection string (required).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Message nodes kept in memory in front of the database.</summary>
    /// <value>Default 50,000.</value>
    public int NodeCacheSize { get; set; } = 50_000;

    /// <summary>
    /// Days stored conversations (message nodes, /reset points) and daily usage rows are kept; older ones are deleted by
    /// the housekeeping timer. 0 keeps everything.
    /// </summary>
    /// <value>Default 30.</value>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Returns one message per invalid setting, each naming it; empty when valid.</summary>
    public IEnumerable<string> Validate(string section = "Storage")
    {
        if (Provider is not ("sqlite" or "postgres"))
        {
            yield return $"{section}:Provider must be 'sqlite' or 'postgres' (was '{Provider}').";
        }

        if (Provider == "postgres" && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{section}:ConnectionString is required when {section}:Provider is 'postgres'.";
        }

        if (NodeCacheSize < 1)
        {
            yield return $"{section}:NodeCacheSize must be at least 1 (was {NodeCacheSize}).";
        }

        if (RetentionDays is < 0 or > 36_500)
        {
            yield return $"{section}:RetentionDays must be between 0 (keep everything) and 36500 (was {RetentionDays}).";
        }
    }
}
