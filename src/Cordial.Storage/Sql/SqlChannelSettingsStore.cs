using System.Data.Common;
using Cordial.Bot.Settings;

namespace Cordial.Storage.Sql;

/// <summary>Per-channel persona and model in SQLite or PostgreSQL. Thread-safe; the caller owns the data source.</summary>
public sealed class SqlChannelSettingsStore(DbDataSource dataSource, SqlDialect dialect) : IChannelSettingsStore
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS channel_settings (
                channel_id {dialect.BigInteger} PRIMARY KEY,
                persona TEXT NULL,
                model TEXT NULL)
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT persona, model FROM channel_settings WHERE channel_id = @id");
        command.AddParameter("id", (long)channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChannelSettings(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : ChannelSettings.Empty;
    }

    public async Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(dataSource, dialect, cancellationToken);
        ArgumentNullException.ThrowIfNull(settings);
        await using var command = settings.Persona is null && settings.Model is null
            ? dataSource.CreateCommand("DELETE FROM channel_settings WHERE channel_id = @id")
            : dataSource.CreateCommand("""
                INSERT INTO channel_settings (channel_id, persona, model) VALUES (@id, @persona, @model)
                ON CONFLICT (channel_id) DO UPDATE SET persona = excluded.persona, model = excluded.model
                """);
        command.AddParameter("id", (long)channelId);
        if (settings.Persona is not null || settings.Model is not null)
        {
            command.AddParameter("persona", settings.Persona);
            command.AddParameter("model", settings.Model);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
