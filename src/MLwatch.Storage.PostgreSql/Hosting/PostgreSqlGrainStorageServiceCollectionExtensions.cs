using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace MLwatch.Storage.PostgreSql.Hosting;

/// <summary>Adds PostgreSQL grain storage to a silo's <see cref="IServiceCollection"/>.</summary>
public static class PostgreSqlGrainStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds a PostgreSQL grain storage provider named <paramref name="name"/>
    /// (the name grains give in <c>[PersistentState("state", name)]</c>).
    /// </summary>
    public static IServiceCollection AddPostgreSqlGrainStorage(
        this IServiceCollection services, string name, Action<PostgreSqlGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return services.AddPostgreSqlGrainStorage(name, optionsBuilder => optionsBuilder.Configure(configureOptions));
    }

    /// <summary>
    /// Adds a PostgreSQL grain storage provider named <paramref name="name"/>, configuring its options through an
    /// <see cref="OptionsBuilder{TOptions}"/> (e.g. <c>ob =&gt; ob.BindConfiguration("Storage")</c>).
    /// </summary>
    public static IServiceCollection AddPostgreSqlGrainStorage(
        this IServiceCollection services, string name, Action<OptionsBuilder<PostgreSqlGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureOptions);

        configureOptions(services.AddOptions<PostgreSqlGrainStorageOptions>(name));
        services.AddTransient<IConfigurationValidator>(sp =>
            new PostgreSqlGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<PostgreSqlGrainStorageOptions>>().Get(name), name));
        services.ConfigureNamedOptionForLogging<PostgreSqlGrainStorageOptions>(name);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageHealth>();

        // Registers the keyed IGrainStorage and, since the storage is an ILifecycleParticipant<ISiloLifecycle>, its lifecycle participation.
        return services.AddGrainStorage(name, Create);
    }

    private static PostgreSqlGrainStorage Create(IServiceProvider services, string name) =>
        new(
            name,
            services.GetRequiredService<IOptionsMonitor<PostgreSqlGrainStorageOptions>>().Get(name),
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<StorageHealth>());
}
