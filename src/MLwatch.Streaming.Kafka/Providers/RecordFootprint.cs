namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>The memory a received record holds, estimated from its byte arrays, for the receivers' byte budgets.</summary>
internal static class RecordFootprint
{
    // Object headers, the topic reference, offsets and timestamp: roughly, and constant per record.
    private const long Overhead = 128;

    // Per header: the entry object and its key string (UTF-16).
    private const long HeaderOverhead = 48;

    public static long Of(KafkaRecord record)
    {
        var bytes = Overhead + record.Value.Length + (record.Key?.Length ?? 0);
        foreach (var header in record.Headers)
        {
            bytes += HeaderOverhead + (2L * header.Key.Length) + header.Value.Length;
        }

        return bytes;
    }
}
