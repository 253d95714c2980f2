namespace Cordial.Storage.Sql;

/// <summary>The few places where SQLite and PostgreSQL SQL differ for our schema.</summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new("sqlite", "INTEGER");
    public static readonly SqlDialect Postgres = new("postgres", "BIGINT");

    private SqlDialect(string name, string bigInteger)
    {
        Name = name;
        BigInteger = bigInteger;
    }

    public string Name { get; }

    /// <summary>The 64-bit integer column type (snowflakes are stored as signed 64-bit: they stay below 2^63).</summary>
    public string BigInteger { get; }

    public override string ToString() => Name;
}
