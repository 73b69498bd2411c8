using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// Writes an infer request's images to the request topic in the wire format of <c>mlwatch produce</c> (value = image
/// bytes, key = request id, mlwatch-model), marked as awaited (<see cref="RecordHeaders.AwaitingReply"/>, with top-k)
/// and, for FP32 inputs, with the tensor content type. Idempotent producer with acks=all: one produce is one record.
/// </summary>
public sealed class InferRequestProducer : IDisposable
{
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;
    private readonly string _topic;
    private readonly TimeProvider _clock;

    public InferRequestProducer(IOptionsMonitor<KafkaStreamOptions> kafkaOptions, KafkaEndpoint endpoint, IOptions<InferenceOptions> inference, TimeProvider clock)
    {
        var kafka = kafkaOptions.Get(StreamNames.Provider);
        _topic = kafka.Topic;
        _clock = clock;
        _producer = new Lazy<IProducer<byte[], byte[]>>(() =>
        {
            var config = new ProducerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(kafka.BootstrapServers), kafka.ClientConfig))
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                LingerMs = 1,
                // An image record may be as large as Inference.MaxImageBytes (librdkafka's default limit is 1,000,000 bytes).
                MessageMaxBytes = Math.Max(1_000_000, inference.Value.MaxImageBytes + (64 * 1024)),
            };
            return new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        });
    }

    /// <summary>Produces one record and returns once the broker has acknowledged it.</summary>
    public async Task ProduceAsync(string requestId, string model, byte[] value, bool isTensor, int topK, CancellationToken cancellationToken)
    {
        var headers = new Headers
        {
            { RecordHeaders.Model, Encoding.UTF8.GetBytes(model) },
            { RecordHeaders.AwaitingReply, Encoding.UTF8.GetBytes(topK.ToString(CultureInfo.InvariantCulture)) },
            { RecordHeaders.SentAt, Encoding.UTF8.GetBytes(_clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) },
        };
        if (isTensor)
        {
            headers.Add(RecordHeaders.ContentType, Encoding.UTF8.GetBytes(RecordHeaders.Fp32TensorContentType));
        }

        await _producer.Value.ProduceAsync(_topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(requestId), Value = value, Headers = headers }, cancellationToken);
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
