using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Ingest;

/// <summary>Records for the ingest tests, all produced to one partition so that what follows a bad record is known.</summary>
internal static class IngestMessages
{
    /// <summary>Partition 0 of the requests topic.</summary>
    public static readonly TopicPartition Partition0 = new(TopicNames.Requests, new Partition(0));

    /// <summary>Fashion-MNIST test image <paramref name="index"/> as PNG with its true label, keyed <paramref name="key"/>.</summary>
    public static Message<byte[]?, byte[]?> Image(int index, string key, params (string Name, string Value)[] headers)
    {
        var set = FashionMnistImages.TestSet;
        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(key),
            Value = set.EncodePng(index % set.Count),
            Headers = [],
        };
        foreach (var (name, value) in headers.Prepend((RecordHeaders.Label, FashionMnistImages.Model.Labels[set.GetLabel(index % set.Count)])))
        {
            message.Headers.Add(name, Encoding.UTF8.GetBytes(value));
        }

        return message;
    }

    /// <summary>A text/uri-list record pointing at <paramref name="path"/>.</summary>
    public static Message<byte[]?, byte[]?> PathTo(string path, string key) => new()
    {
        Key = Encoding.UTF8.GetBytes(key),
        Value = Encoding.UTF8.GetBytes(path),
        Headers = new Headers { { RecordHeaders.ContentType, Encoding.UTF8.GetBytes(RecordHeaders.UriListContentType) } },
    };

    /// <summary>Produces <paramref name="count"/> valid images to partition 0, keyed "{prefix}-{i}"; returns the last offset.</summary>
    public static async Task<long> ProduceValidAsync(this TestBroker broker, string prefix, int count)
    {
        long last = -1;
        for (var i = 0; i < count; i++)
        {
            last = (await broker.ProduceToAsync(Partition0, Image(i, $"{prefix}-{i}"))).Offset.Value;
        }

        return last;
    }

    /// <summary>The last value of header <paramref name="name"/> as text, or null.</summary>
    public static string? Header(this Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
