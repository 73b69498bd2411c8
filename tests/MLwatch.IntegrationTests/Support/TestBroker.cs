using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using MLwatch.Cli.Producing;
using MLwatch.Streaming.Kafka;

namespace MLwatch.IntegrationTests.Support;

/// <summary>A real Kafka-protocol broker (librdkafka's mock cluster) owned by a test, with plain Confluent.Kafka helpers.</summary>
internal sealed class TestBroker : IDisposable
{
    private readonly EmbeddedKafkaBroker _broker = EmbeddedKafkaBroker.Start();
    private readonly IProducer<byte[]?, byte[]?> _producer;

    public TestBroker()
    {
        // Every topic a test reads exists before the silo writes it: a consumer subscribing to a missing topic fails
        // with "Subscribed topic not available" (ShiftedStreamTests read the alerts topic).
        foreach (var topic in new[] { TopicNames.Requests, TopicNames.Feedback, TopicNames.DeadLetter, TopicNames.Alerts })
        {
            _broker.CreateTopic(topic, Partitions);
        }

        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            // Room for the oversized-message case of the bad-input corpus (librdkafka's default is 1,000,000 bytes).
            MessageMaxBytes = MaxMessageBytes,
        }).Build();
    }

    /// <summary>Partitions of each topic: the tests' expectations (e.g. a lone silo owning four partitions) assume 4.</summary>
    public const int Partitions = EmbeddedKafkaBroker.DefaultPartitions;

    /// <summary>Largest record the test producer sends: 8 MiB.</summary>
    public const int MaxMessageBytes = 8 * 1024 * 1024;

    public string BootstrapServers => _broker.BootstrapServers;

    /// <summary>Deletes the records of <paramref name="topic"/>/<paramref name="partition"/> before <paramref name="beforeOffset"/>, as retention would.</summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset) => _broker.DeleteRecords(topic, partition, beforeOffset);

    /// <summary>Produces one record to the requests topic and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(byte[]? value, string? key = null, params (string Name, string Value)[] headers) =>
        ProduceToAsync(TopicNames.Requests, value, key, headers);

    /// <summary>Produces one record to <paramref name="topic"/> and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceToAsync(string topic, byte[]? value, string? key = null, params (string Name, string Value)[] headers)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = value };
        if (headers.Length > 0)
        {
            message.Headers = [];
            foreach (var (name, text) in headers)
            {
                message.Headers.Add(name, Encoding.UTF8.GetBytes(text));
            }
        }

        return _producer.ProduceAsync(topic, message);
    }

    /// <summary>Produces <paramref name="message"/> (raw key, headers, timestamp as given) to exactly <paramref name="partition"/> and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceToAsync(TopicPartition partition, Message<byte[]?, byte[]?> message) =>
        _producer.ProduceAsync(partition, message);

    /// <summary>Produces Fashion-MNIST test images [<paramref name="from"/>, <paramref name="to"/>) as PNG with their true labels.</summary>
    public async Task ProduceFashionMnistAsync(int from, int to, TimeSpan? pause = null)
    {
        var set = FashionMnistImages.TestSet;
        var labels = FashionMnistImages.Model.Labels;
        var pending = new List<Task>();
        for (var i = from; i < to; i++)
        {
            pending.Add(ProduceAsync(set.EncodePng(i % set.Count), $"test-{i}", (RecordHeaders.Label, labels[set.GetLabel(i % set.Count)])));
            if (pause is { } delay && i % 50 == 49)
            {
                await Task.Delay(delay);
            }
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Produces images [0, <paramref name="count"/>) of <paramref name="source"/> with their ids as keys and their true labels.</summary>
    public async Task ProduceAsync(IImageSource source, int count)
    {
        const int inFlight = 500;
        var pending = new List<Task>(inFlight);
        for (var i = 0; i < count; i++)
        {
            var image = source.Get(i);
            pending.Add(image.Label is { } label ? ProduceAsync(image.Bytes, image.Id, (RecordHeaders.Label, label)) : ProduceAsync(image.Bytes, image.Id));
            if (pending.Count == inFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }

    /// <summary>
    /// Produces Fashion-MNIST test images, cycling, about <paramref name="perSecond"/> a second until
    /// <paramref name="stop"/> is cancelled; returns how many were produced and acknowledged.
    /// </summary>
    public async Task<int> ProduceFashionMnistUntilAsync(int perSecond, CancellationToken stop)
    {
        var produced = 0;
        while (!stop.IsCancellationRequested)
        {
            var burst = Math.Max(1, perSecond / 20);
            await ProduceFashionMnistAsync(produced, produced + burst);
            produced += burst;
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        return produced;
    }

    /// <summary>Reads every record of <paramref name="topic"/> from the beginning, until <paramref name="expected"/> were read or none arrive for 15 s.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var quietSince = DateTime.UtcNow;
        while (records.Count < expected && DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(15))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result)
            {
                records.Add(result);
                quietSince = DateTime.UtcNow;
            }
        }

        consumer.Close();
        return records;
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
        _broker.Dispose();
    }
}
