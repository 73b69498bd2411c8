using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Telemetry;
using MLwatch.Inference.Imaging;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>Writes refused records to the dead-letter topic with their original key, value and headers plus the reason.</summary>
public sealed class DeadLetterPublisher : IDisposable
{
    private readonly IngestOptions _options;
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;

    private readonly IGrainFactory _grains;
    private readonly TouchedGrainRegistry _touchedGrains;
    private readonly PipelineMetrics _metrics;
    private readonly InferenceReplies _replies;

    public DeadLetterPublisher(IOptions<IngestOptions> options, IOptionsMonitor<KafkaStreamOptions> kafkaOptions, KafkaEndpoint endpoint, IGrainFactory grains, TouchedGrainRegistry touchedGrains, PipelineMetrics metrics, InferenceReplies replies)
    {
        _options = options.Value;
        _replies = replies;
        _grains = grains;
        _touchedGrains = touchedGrains;
        _metrics = metrics;
        _producer = new Lazy<IProducer<byte[]?, byte[]?>>(() =>
        {
            var kafka = kafkaOptions.Get(StreamNames.Provider);
            var config = new ProducerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(kafka.BootstrapServers), kafka.ClientConfig))
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                LingerMs = 5,
            };
            return new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        });
    }

    /// <summary>The topic refused records go to.</summary>
    public string Topic => _options.DeadLetterTopic;

    /// <summary>Publishes every refused record and returns once the broker has acknowledged all of them.</summary>
    public Task PublishAsync(IReadOnlyList<(KafkaRecord Record, ImageRejection Rejection)> refused) =>
        Task.WhenAll(refused.Select(r => _producer.Value.ProduceAsync(_options.DeadLetterTopic, ToMessage(r.Record, r.Rejection))));

    /// <summary>
    /// Publishes the refused records of <paramref name="delivery"/>, then counts them by reason in its topic's dead-letter
    /// grain (recorded for the commit barrier): the dead-letter topic holds a record before its offset can be committed.
    /// Callers awaiting a refused record get its reason.
    /// </summary>
    public async Task DeadLetterAsync(Delivery delivery, IReadOnlyList<(KafkaRecord Record, ImageRejection Rejection)> refused)
    {
        await PublishAsync(refused);
        var entries = refused.Select(r => new DeadLetterEntry(r.Record.Partition, r.Record.Offset, r.Rejection.Reason, r.Record.RecordCount)).OrderBy(e => e.Offset).ToArray();
        var batch = new DeadLetterBatch(entries, delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore);
        await _touchedGrains.ApplyAsync(_grains.GetGrain<IDeadLetterStatsGrain>(delivery.Source.Topic), delivery.Source, g => g.ApplyAsync(batch));
        _metrics.DeadLettered(delivery.Source.Topic, refused);
        await _replies.RejectAsync(refused);
    }

    /// <summary>The dead letter of <paramref name="record"/>: its original key, value and headers, with the reason added.</summary>
    internal Message<byte[]?, byte[]?> ToMessage(KafkaRecord record, ImageRejection rejection)
    {
        if (record.IsExpiredRange)
        {
            // Nothing of the lost records is left to copy: the dead letter names the range.
            var origin = Encoding.UTF8.GetBytes(ExpiredRecords.Origin(record));
            return new Message<byte[]?, byte[]?>
            {
                Key = origin,
                Value = [],
                Headers =
                [
                    new Header(RecordHeaders.Error, Encoding.UTF8.GetBytes(rejection.Message)),
                    new Header(RecordHeaders.ErrorCode, Encoding.UTF8.GetBytes(rejection.Reason)),
                    new Header(RecordHeaders.Origin, origin),
                ],
            };
        }

        // What made the record too large is not copied: the dead letter must fit through the broker, or the partition would block.
        var headers = new Headers();
        var keepHeaders = RequestReader.HeaderBytes(record) <= _options.MaxHeaderBytes;
        if (keepHeaders)
        {
            foreach (var header in record.Headers)
            {
                headers.Add(header.Key, header.Value);
            }
        }

        var keepKey = record.Key is null || record.Key.Length <= _options.MaxKeyBytes;
        var keepValue = record.Value.Length <= _options.DeadLetterMaxValueBytes;
        var reason = rejection.Message;
        if (!keepValue)
        {
            reason += $" (original value of {record.Value.Length} bytes omitted: over Ingest.DeadLetterMaxValueBytes)";
        }

        if (!keepHeaders)
        {
            reason += $" (original {record.Headers.Length} header(s) omitted: over Ingest.MaxHeaderBytes)";
        }

        if (!keepKey)
        {
            reason += " (original key omitted: over Ingest.MaxKeyBytes; keyed by topic/partition/offset)";
        }
        headers.Add(RecordHeaders.Error, Encoding.UTF8.GetBytes(reason));
        headers.Add(RecordHeaders.ErrorCode, Encoding.UTF8.GetBytes(rejection.Reason));
        headers.Add(RecordHeaders.Origin, Encoding.UTF8.GetBytes($"{record.Topic}/{record.Partition}/{record.Offset}"));
        if (rejection.ModelVersion is { } modelVersion)
        {
            headers.Add(RecordHeaders.ModelVersion, Encoding.UTF8.GetBytes(modelVersion));
        }

        return new Message<byte[]?, byte[]?>
        {
            // The original key bytes, whatever they are; a record without one is keyed by its coordinates.
            Key = keepKey && record.Key is { Length: > 0 } key ? key : Encoding.UTF8.GetBytes(record.Coordinates),
            Value = keepValue ? record.Value : [],
            Headers = headers,
        };
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
