namespace MLwatch.Streaming.Kafka;

/// <summary>One Kafka record as delivered on an Orleans stream: its coordinates, key, value and headers.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-record")]
public sealed record KafkaRecord(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] string? Key,
    [property: Id(4)] byte[] Value,
    [property: Id(5)] KafkaHeader[] Headers,
    [property: Id(6)] DateTimeOffset Timestamp)
{
    /// <summary>The record's identity: its key, or "{topic}/{partition}/{offset}" when it has none.</summary>
    public string RequestId => string.IsNullOrEmpty(Key) ? $"{Topic}/{Partition}/{Offset}" : Key;

    /// <summary>The last value of header <paramref name="name"/> as UTF-8 text, or null when absent.</summary>
    public string? GetHeader(string name)
    {
        for (var i = Headers.Length - 1; i >= 0; i--)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return System.Text.Encoding.UTF8.GetString(Headers[i].Value);
            }
        }

        return null;
    }
}
