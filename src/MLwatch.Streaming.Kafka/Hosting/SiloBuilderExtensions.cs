using Orleans.Hosting;

namespace MLwatch.Streaming.Kafka.Hosting;

/// <summary>Adds Kafka persistent streams to a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Adds a Kafka stream provider named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configureOptions) =>
        builder.AddKafkaStreams(name, configurator => configurator.ConfigureKafka(ob => ob.Configure(configureOptions)));

    /// <summary>Adds a Kafka stream provider named <paramref name="name"/>, with full control of its configurator.</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<SiloKafkaStreamConfigurator>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configurator = new SiloKafkaStreamConfigurator(name, configureServices => builder.ConfigureServices(configureServices));
        configure?.Invoke(configurator);
        return builder;
    }
}
