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

    /// <summary>
    /// Bytes of conversation messages kept in memory in front of the database (each message weighed with its text
    /// and bookkeeping); the least recently used are dropped beyond it and read from the database when needed again.
    /// </summary>
    /// <value>Default 4 MiB (4194304): about 4,500 messages of a few hundred characters; 64 KiB to 4 GiB.</value>
    public long NodeCacheBytes { get; set; } = DefaultNodeCacheBytes;

    /// <summary>The default of <see cref="NodeCacheBytes"/>.</summary>
    public const long DefaultNodeCacheBytes = 4L * 1024 * 1024;

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

        if (NodeCacheBytes is < 64 * 1024 or > 4L * 1024 * 1024 * 1024)
        {
            yield return $"{section}:NodeCacheBytes must be from 65536 (64 KiB) to 4294967296 (4 GiB) (was {NodeCacheBytes}).";
        }

        if (RetentionDays is < 0 or > 36_500)
        {
            yield return $"{section}:RetentionDays must be between 0 (keep everything) and 36500 (was {RetentionDays}).";
        }
    }
}
