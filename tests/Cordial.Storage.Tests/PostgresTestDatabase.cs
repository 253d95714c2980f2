using Npgsql;

namespace Cordial.Storage.Tests;

/// <summary>
/// A fresh, empty database on the PostgreSQL server named by CORDIAL_TEST_POSTGRES (scripts/test.sh starts one on
/// 127.0.0.1), dropped on dispose. Without the server the test fails under CI=true and is skipped locally.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _adminConnection;
    private readonly string _name;

    private PostgresTestDatabase(string adminConnection, string name, NpgsqlDataSource dataSource)
    {
        _adminConnection = adminConnection;
        _name = name;
        DataSource = dataSource;
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string prefix, CancellationToken cancellationToken)
    {
        var adminConnection = Environment.GetEnvironmentVariable("CORDIAL_TEST_POSTGRES");
        Requirement.Require(!string.IsNullOrEmpty(adminConnection), "A PostgreSQL server (CORDIAL_TEST_POSTGRES, started by scripts/test.sh)");

        var name = prefix + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(adminConnection!))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString);
        return new PostgresTestDatabase(adminConnection!, name, dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(_adminConnection);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
