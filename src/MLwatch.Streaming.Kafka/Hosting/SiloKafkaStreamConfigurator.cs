using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MLwatch.Streaming.Kafka.Providers;
using MLwatch.Streaming.Kafka.Telemetry;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Hosting;

/// <summary>Configures a silo's Kafka stream provider.</summary>
public sealed class SiloKafkaStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Creates the configurator for provider <paramref name="name"/>.</summary>
    public SiloKafkaStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, KafkaAdapterFactory.Create)
    {
        ConfigureDelegate(services =>
        {
            services.TryAddSingleton<KafkaEndpoint>();
            services.TryAddSingleton<KafkaPartitionOwnership>();
            // One per silo, shared by every Kafka provider: receivers record their commits, consumers read them.
            services.TryAddSingleton<PartitionCommits>();
            services.TryAddSingleton<IPartitionCommits>(sp => sp.GetRequiredService<PartitionCommits>());
            // One per silo: consumers report delivery failures and successes, receivers read them into their status.
            services.TryAddSingleton(sp => new DeliveryFailures(sp.GetService<TimeProvider>() ?? TimeProvider.System));
            services.TryAddSingleton<IDeliveryFailures>(sp => sp.GetRequiredService<DeliveryFailures>());
            // One per silo: gauges of every partition it receives, and the checkpoints of all its providers.
            services.TryAddSingleton<KafkaMetrics>();
            services
                .ConfigureNamedOptionForLogging<KafkaStreamOptions>(name)
                .ConfigureNamedOptionForLogging<SimpleQueueCacheOptions>(name)
                .AddTransient<IConfigurationValidator>(sp =>
                    new KafkaStreamOptionsValidator(sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name), name));
        });

        // Only implicit subscribers consume Kafka streams: no pub-sub grain storage is needed.
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        ConfigureDelivery();
    }

    /// <summary>Configures the Kafka options.</summary>
    public SiloKafkaStreamConfigurator ConfigureKafka(Action<OptionsBuilder<KafkaStreamOptions>> configureOptions)
    {
        this.Configure(configureOptions);
        return this;
    }

    /// <summary>Sets how many records one delivery to a consumer carries at most. Defaults to 64.</summary>
    public SiloKafkaStreamConfigurator ConfigureDelivery(int recordsPerDelivery = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsPerDelivery, 1);
        this.ConfigurePullingAgent(ob => ob.Configure<IOptionsMonitor<KafkaStreamOptions>>((options, kafka) =>
        {
            options.BatchContainerBatchSize = recordsPerDelivery;
            // Never skip a record after a time limit (Orleans' default is 1 minute): that would lose it silently.
            options.MaxEventDeliveryTime = Timeout.InfiniteTimeSpan;
            options.GetQueueMsgsTimerPeriod = kafka.Get(Name).PullInterval;
        }));
        return this;
    }

    /// <summary>Sets the per-partition cache of the pulling agent. Defaults to Orleans' 4096 records.</summary>
    public SiloKafkaStreamConfigurator ConfigureCache(int cacheSize = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE)
    {
        this.Configure<SimpleQueueCacheOptions>(ob => ob.Configure(options => options.CacheSize = cacheSize));
        return this;
    }
}
