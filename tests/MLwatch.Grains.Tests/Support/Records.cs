using System.Text;
using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Tests.Support;

/// <summary>Kafka records as the provider delivers them.</summary>
internal static class Records
{
    public static KafkaRecord Image(byte[] value, params (string Key, string Value)[] headers) =>
        new(
            TopicNames.Requests,
            0,
            42,
            "request-1"u8.ToArray(),
            value,
            [.. headers.Select(h => new KafkaHeader(h.Key, Encoding.UTF8.GetBytes(h.Value)))],
            0);

    /// <summary>A text/uri-list record whose value is <paramref name="path"/>.</summary>
    public static KafkaRecord Path(string path, params (string Key, string Value)[] headers) =>
        Image(Encoding.UTF8.GetBytes(path), [(RecordHeaders.ContentType, RecordHeaders.UriListContentType), .. headers]);
}
