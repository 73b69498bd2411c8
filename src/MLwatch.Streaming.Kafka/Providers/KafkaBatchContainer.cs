using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>One Kafka record on its partition's stream; the sequence number is the Kafka offset.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-batch-container")]
internal sealed class KafkaBatchContainer(StreamId streamId, KafkaRecord record, int generation = 0) : IBatchContainer
{
    [NonSerialized]
    private readonly int _generation = generation;

    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public KafkaRecord Record { get; } = record;

    [Id(2)]
    private readonly EventSequenceTokenV2 _token = new(record.Offset);

    public StreamSequenceToken SequenceToken => _token;

    /// <summary>The receiver generation that handed it out (see <see cref="KafkaQueueAdapterReceiver.Rewind"/>); local to the silo, not serialized.</summary>
    public int Generation => _generation;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Record is T item ? [Tuple.Create(item, (StreamSequenceToken)_token)] : [];

    public bool ImportRequestContext() => false;
}
