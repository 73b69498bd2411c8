using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Resolves where Kafka is for this process: the configured bootstrap servers, or, when none are configured,
/// one embedded broker shared by every provider and client in the process.
/// </summary>
public sealed partial class KafkaEndpoint(ILogger<KafkaEndpoint> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private EmbeddedKafkaBroker? _embedded;

    /// <summary>The embedded broker, once one was started.</summary>
    public EmbeddedKafkaBroker? Embedded => _embedded;

    /// <summary>Returns <paramref name="configured"/> when set, else the embedded broker's address (starting it on first use).</summary>
    public string Resolve(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        lock (_lock)
        {
            if (_embedded is null)
            {
                _embedded = EmbeddedKafkaBroker.Start();
                LogEmbeddedBrokerStarted(_embedded.BootstrapServers);
            }

            return _embedded.BootstrapServers;
        }
    }

    /// <summary>Client settings shared by every MLwatch Kafka client: the bootstrap servers plus the extra configured properties.</summary>
    public static ClientConfig CreateClientConfig(string bootstrapServers, IReadOnlyDictionary<string, string> extra)
    {
        var config = new ClientConfig(extra.ToDictionary(StringComparer.Ordinal)) { BootstrapServers = bootstrapServers };
        return config;
    }

    /// <inheritdoc />
    public void Dispose() => _embedded?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Kafka bootstrap servers configured: started an embedded in-memory broker at {BootstrapServers}. Any Kafka client can produce to it; its data is lost when this process stops. It keeps at most 5 MiB and 100,000 records per partition (librdkafka's fixed limits) and deletes the oldest beyond that, whether read or not: records deleted before MLwatch read them are reported as records-expired, so produce no faster than the pipeline consumes. Set MLWATCH__Kafka__BootstrapServers for a real cluster.")]
    private partial void LogEmbeddedBrokerStarted(string bootstrapServers);
}
