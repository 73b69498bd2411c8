using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace MLwatch.Storage.PostgreSql.Hosting;

/// <summary>Adds PostgreSQL grain storage to a silo.</summary>
public static class PostgreSqlGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds a PostgreSQL grain storage provider named <paramref name="name"/>
    /// (the name grains give in <c>[PersistentState("state", name)]</c>).
    /// </summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name, Action<PostgreSqlGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => services.AddPostgreSqlGrainStorage(name, configure));
    }

    /// <summary>
    /// Adds a PostgreSQL grain storage provider named <paramref name="name"/>, configuring its options through an
    /// <see cref="OptionsBuilder{TOptions}"/> (e.g. <c>ob =&gt; ob.BindConfiguration("Storage")</c>).
    /// </summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(
        this ISiloBuilder builder, string name, Action<OptionsBuilder<PostgreSqlGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => services.AddPostgreSqlGrainStorage(name, configureOptions));
    }
}
