using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Grains.Models;
using MLwatch.Inference;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// When Models:PublishPredictions is on, writes one JSON record per prediction to Models:PredictionsTopic, keyed by
/// request id: <c>{"requestId","model","version","label","labelIndex","confidence","latencyMs","silo","at","partition","offset"}</c>.
/// The delivery waits for the broker's acknowledgement before its offsets can be committed, so every prediction is
/// written at least once (a replay writes it again: drop duplicates by request id and version). Off, it costs nothing.
/// </summary>
public sealed class PredictionPublisher : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ModelsOptions _options;
    private readonly TimeSpan _maxClockSkew;
    private readonly string _silo;
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;

    public PredictionPublisher(
        IOptions<ModelsOptions> options, IOptions<IngestOptions> ingest, IOptionsMonitor<KafkaStreamOptions> kafkaOptions, KafkaEndpoint endpoint, ILocalSiloDetails silo)
    {
        _options = options.Value;
        _maxClockSkew = ingest.Value.MaxClockSkew;
        _silo = silo.SiloAddress.ToString();
        _producer = new Lazy<IProducer<byte[], byte[]>>(() =>
        {
            var kafka = kafkaOptions.Get(StreamNames.Provider);
            var config = new ProducerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(kafka.BootstrapServers), kafka.ClientConfig))
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                LingerMs = 5,
            };
            return new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        });
    }

    /// <summary>Whether predictions are written (Models:PublishPredictions).</summary>
    public bool Enabled => _options.PublishPredictions;

    /// <summary>Writes the classified ones of <paramref name="requests"/> (outcomes in the same order); completes at once when off.</summary>
    public Task PublishAsync(ModelDescriptor model, IReadOnlyList<ImageRequest> requests, IReadOnlyList<ClassificationOutcome> outcomes, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var writes = new List<Task>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            if (!outcomes[i].IsSuccess)
            {
                continue;
            }

            var record = requests[i].Record;
            var prediction = new
            {
                requestId = record.RequestId,
                model = model.Name,
                version = model.Version,
                label = outcomes[i].Label,
                labelIndex = outcomes[i].LabelIndex,
                confidence = outcomes[i].Confidence,
                latencyMs = SendTime.Of(record, now, _maxClockSkew).LatencyMsAt(now),
                silo = _silo,
                at = now.ToUnixTimeMilliseconds(),
                partition = record.Partition,
                offset = record.Offset,
            };
            writes.Add(_producer.Value.ProduceAsync(_options.PredictionsTopic, new Message<byte[], byte[]>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(record.RequestId),
                Value = JsonSerializer.SerializeToUtf8Bytes(prediction, Json),
            }));
        }

        return Task.WhenAll(writes);
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
