using Orleans.Providers.Streams.Common;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Control commands a Kafka stream provider answers on every silo, sent with
/// <c>IManagementGrain.SendControlCommandToProvider&lt;PersistentStreamProvider&gt;(providerName, command, null)</c>.
/// </summary>
public static class KafkaStreamCommands
{
    /// <summary>Returns a <see cref="SiloPartitions"/>: the Kafka partitions (of every topic) the answering silo receives now, with their status.</summary>
    public const int GetOwnedPartitions = (int)PersistentStreamProviderCommand.AdapterFactoryCommandStartRange + 1;
}
