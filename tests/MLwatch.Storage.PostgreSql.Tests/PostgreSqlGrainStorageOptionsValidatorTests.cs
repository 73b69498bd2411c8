using Microsoft.Extensions.DependencyInjection;
using MLwatch.Storage.PostgreSql.Tests.Support;
using Orleans.Runtime;

namespace MLwatch.Storage.PostgreSql.Tests;

public sealed class PostgreSqlGrainStorageOptionsValidatorTests
{
    private const string ConnectionString = PostgreSqlFixture.DefaultConnectionString;

    [Theory]
    [InlineData("mlwatch_grain_state")]
    [InlineData("_state")]
    [InlineData("t")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Plain_lower_case_table_names_are_accepted(string tableName) =>
        Validator(new PostgreSqlGrainStorageOptions { ConnectionString = ConnectionString, TableName = tableName }).ValidateConfiguration();

    [Theory]
    [InlineData("")]
    [InlineData("Grain_State")]
    [InlineData("1state")]
    [InlineData("grain-state")]
    [InlineData("public.grain_state")]
    [InlineData("\"quoted\"")]
    [InlineData("x; DROP TABLE users; --")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void A_table_name_that_is_not_a_plain_identifier_is_refused(string tableName)
    {
        var error = Assert.Throws<OrleansConfigurationException>(
            () => Validator(new PostgreSqlGrainStorageOptions { ConnectionString = ConnectionString, TableName = tableName }).ValidateConfiguration());

        Assert.Contains("PostgreSqlGrainStorageOptions.TableName", error.Message, StringComparison.Ordinal);
        Assert.Contains("'stats'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a plain SQL identifier", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_connection_string_is_refused(string? connectionString)
    {
        var error = Assert.Throws<OrleansConfigurationException>(
            () => Validator(new PostgreSqlGrainStorageOptions { ConnectionString = connectionString }).ValidateConfiguration());

        Assert.Contains("PostgreSqlGrainStorageOptions.ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_without_echoing_the_password()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => Validator(
            new PostgreSqlGrainStorageOptions { ConnectionString = "Host=db;Password=hunter2-secret;Colour=blue" }).ValidateConfiguration());

        Assert.Contains("not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_adds_the_validator_for_the_silo_to_run()
    {
        var services = new ServiceCollection();
        services.AddOptions();
        MLwatch.Storage.PostgreSql.Hosting.PostgreSqlGrainStorageServiceCollectionExtensions.AddPostgreSqlGrainStorage(
            services, "stats", options => options.TableName = "Bad Name");
        using var provider = services.BuildServiceProvider();

        var validators = provider.GetServices<IConfigurationValidator>().OfType<PostgreSqlGrainStorageOptionsValidator>().ToList();

        var validator = Assert.Single(validators);
        var error = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);
        Assert.Contains("ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provider_refuses_to_be_built_from_invalid_options_even_without_the_silo_validating_them()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => PostgreSqlFixture.BuildStorage(options =>
        {
            options.ConnectionString = ConnectionString;
            options.TableName = "state\"; DROP TABLE x; --";
        }, "tests"));

        Assert.Contains("TableName", error.Message, StringComparison.Ordinal);
    }

    private static PostgreSqlGrainStorageOptionsValidator Validator(PostgreSqlGrainStorageOptions options) => new(options, "stats");
}
