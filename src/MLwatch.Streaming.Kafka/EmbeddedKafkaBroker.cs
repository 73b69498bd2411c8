using Confluent.Kafka;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// An in-process Kafka-protocol broker (librdkafka's mock cluster) for development, demos and tests.
/// It keeps its topics in memory and lives exactly as long as this object.
/// </summary>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    private readonly IAdminClient _owner;

    private EmbeddedKafkaBroker(IAdminClient owner, string bootstrapServers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The address any Kafka client can bootstrap from.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a mock cluster of <paramref name="brokerCount"/> brokers on loopback ports chosen by the OS.</summary>
    public static EmbeddedKafkaBroker Start(int brokerCount = 1, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        var config = new AdminClientConfig(new Dictionary<string, string>
        {
            ["test.mock.num.brokers"] = brokerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The mock cluster logs one notice at start; the address is reported by our caller instead.
            ["log_level"] = "3",
        });
        var owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            var metadata = owner.GetMetadata(timeout ?? TimeSpan.FromSeconds(10));
            var bootstrap = string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
            return new EmbeddedKafkaBroker(owner, bootstrap);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Creates <paramref name="topic"/> (with the mock cluster's default of 4 partitions) if it does not exist, and returns its partition count.</summary>
    public int EnsureTopic(string topic, TimeSpan? timeout = null) =>
        _owner.GetMetadata(topic, timeout ?? TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;

    /// <inheritdoc />
    public void Dispose() => _owner.Dispose();
}
