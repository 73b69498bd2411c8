using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace MLwatch.Cli.Producing.Pacing;

/// <summary>What a producer needs to know about the broker before it starts: whether it is the embedded one, and partition counts.</summary>
public static class BrokerProbe
{
    // librdkafka's mock cluster names itself "mockCluster<hex>" in metadata responses (src/rdkafka_mock.c).
    private const string MockClusterIdPrefix = "mockCluster";

    /// <summary>
    /// Whether <paramref name="bootstrapServers"/> is librdkafka's mock cluster (`mlwatch broker`, `demo`, the tests)
    /// rather than a real Kafka; throws when the broker does not answer within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> IsEmbeddedBrokerAsync(string bootstrapServers, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        try
        {
            var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = timeout });
            return cluster.ClusterId?.StartsWith(MockClusterIdPrefix, StringComparison.Ordinal) == true;
        }
        catch (KafkaException exception)
        {
            throw new TimeoutException($"The Kafka broker at {bootstrapServers} did not describe itself within {timeout.TotalSeconds:F0} s ({exception.Error.Reason}); check --bootstrap and that the broker runs.", exception);
        }
    }

    /// <summary>Partitions of <paramref name="topic"/> (a metadata request, which makes the embedded broker create it when missing).</summary>
    public static int PartitionCount(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(15)).Topics.SingleOrDefault();
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Topic '{topic}' has no partitions at {bootstrapServers} ({metadata?.Error.Reason ?? "no metadata"}); create it first.");
        }

        return metadata.Partitions.Count;
    }
}
