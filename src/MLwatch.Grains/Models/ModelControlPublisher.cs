using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Models;

/// <summary>
/// Writes control records to the models topic (what the HTTP API does to publish, activate or roll back: the topic is
/// the one path by which versions reach every silo). Returns each record's position, which the registry records once
/// a silo has applied it.
/// </summary>
public sealed class ModelControlPublisher : IDisposable
{
    private readonly ModelsOptions _options;
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;

    public ModelControlPublisher(IOptions<ModelsOptions> options, IOptionsMonitor<KafkaStreamOptions> kafkaOptions, KafkaEndpoint endpoint)
    {
        _options = options.Value;
        _producer = new Lazy<IProducer<byte[], byte[]>>(() =>
        {
            var kafka = kafkaOptions.Get(StreamNames.Provider);
            var config = new ProducerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(kafka.BootstrapServers), kafka.ClientConfig))
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                // A publish record carries a model (librdkafka's default limit is 1,000,000 bytes).
                MessageMaxBytes = _options.MaxRecordBytes + (64 * 1024),
            };
            return new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        });
    }

    /// <summary>The control topic.</summary>
    public string Topic => _options.ControlTopic;

    /// <summary>Largest record written: larger publishes must go by location.</summary>
    public int MaxRecordBytes => _options.MaxRecordBytes;

    /// <summary>Writes <paramref name="record"/> keyed by its model and returns where it landed once the broker acknowledged it.</summary>
    public async Task<TopicPartitionOffset> PublishAsync(ModelControlRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var value = record.ToBytes();
        if (value.Length > _options.MaxRecordBytes)
        {
            throw new ArgumentException(
                $"The control record would be {value.Length} bytes, over Models:MaxRecordBytes ({_options.MaxRecordBytes}); publish this model by location (a directory inside Ingest:AllowedRoots that every silo can read).");
        }

        var result = await _producer.Value.ProduceAsync(_options.ControlTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(record.Model), Value = value }, cancellationToken);
        return result.TopicPartitionOffset;
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
