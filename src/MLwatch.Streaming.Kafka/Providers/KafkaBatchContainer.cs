using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>
/// One Kafka record on its partition's stream. The sequence number is the Kafka offset, except after a rewind: Orleans'
/// queue cache positions its cursors by sequence numbers that only grow, so records read again get the next numbers
/// after the highest handed out (see <see cref="KafkaQueueAdapterReceiver.Rewind"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-batch-container")]
internal sealed class KafkaBatchContainer(StreamId streamId, KafkaRecord record, long sequenceNumber, int generation = 0) : IBatchContainer
{
    [NonSerialized]
    private readonly int _generation = generation;

    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public KafkaRecord Record { get; } = record;

    [Id(2)]
    private readonly EventSequenceTokenV2 _token = new(sequenceNumber);

    public StreamSequenceToken SequenceToken => _token;

    /// <summary>The receiver generation that handed it out (see <see cref="KafkaQueueAdapterReceiver.Rewind"/>); local to the silo, not serialized.</summary>
    public int Generation => _generation;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Record is T item ? [Tuple.Create(item, (StreamSequenceToken)_token)] : [];

    public bool ImportRequestContext() => false;
}
