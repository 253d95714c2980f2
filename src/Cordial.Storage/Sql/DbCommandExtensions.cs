using System.Data.Common;

namespace Cordial.Storage.Sql;

internal static class DbCommandExtensions
{
    /// <summary>Adds a named parameter (null becomes DBNull), the same way for SQLite and PostgreSQL.</summary>
    /// <returns>The parameter, for a command executed again with other values.</returns>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Set(value);
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Gives a parameter its value for the next execution (null becomes DBNull).</summary>
    public static void Set(this DbParameter parameter, object? value) => parameter.Value = value ?? DBNull.Value;
}
