using System.Globalization;
using Orleans.Runtime;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Each Kafka partition is one Orleans stream keyed by its partition number. The pulling agent delivers a stream's
/// batches one after another, so consumers see each partition's records in offset order.
/// </summary>
public static class KafkaStreamIds
{
    /// <summary>The stream that carries partition <paramref name="partition"/>.</summary>
    public static StreamId ForPartition(string streamNamespace, int partition) =>
        StreamId.Create(streamNamespace, partition.ToString(CultureInfo.InvariantCulture));
}
