using System.Text.RegularExpressions;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql;

/// <summary>
/// Validates <see cref="PostgreSqlGrainStorageOptions"/> for one named provider when the silo starts.
/// </summary>
internal sealed partial class PostgreSqlGrainStorageOptionsValidator(PostgreSqlGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw Invalid(nameof(PostgreSqlGrainStorageOptions.ConnectionString),
                "is required. Set it to an Npgsql connection string such as 'Host=127.0.0.1;Port=5432;Username=mlwatch;Password=...;Database=mlwatch' " +
                "(in MLwatch deployments: MLWATCH__Storage__ConnectionString).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // The message from Npgsql names the bad keyword, never the password value.
            throw Invalid(nameof(PostgreSqlGrainStorageOptions.ConnectionString),
                $"is not a valid Npgsql connection string: {ex.Message} Use 'Key=Value;' pairs (Host, Port, Username, Password, Database).");
        }

        if (options.TableName is null || !PlainIdentifier().IsMatch(options.TableName))
        {
            throw Invalid(nameof(PostgreSqlGrainStorageOptions.TableName),
                $"'{options.TableName}' is not a plain SQL identifier. Use 1-63 characters of lower-case letters, digits and '_', " +
                $"not starting with a digit (pattern ^[a-z_][a-z0-9_]{{0,62}}$), e.g. '{PostgreSqlGrainStorageOptions.DefaultTableName}'.");
        }

        if (options.RetryFor < TimeSpan.Zero)
        {
            throw Invalid(nameof(PostgreSqlGrainStorageOptions.RetryFor), $"must be zero (no retries) or positive, was {options.RetryFor}.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            throw Invalid(nameof(PostgreSqlGrainStorageOptions.RetryBaseDelay),
                $"must be positive and at most {nameof(PostgreSqlGrainStorageOptions.RetryMaxDelay)} (were {options.RetryBaseDelay} and {options.RetryMaxDelay}).");
        }
    }

    private OrleansConfigurationException Invalid(string field, string problem) =>
        new($"Invalid configuration for PostgreSQL grain storage '{name}': {nameof(PostgreSqlGrainStorageOptions)}.{field} {problem}");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainIdentifier();
}
