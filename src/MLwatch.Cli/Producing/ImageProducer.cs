using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using MLwatch.Cli.Producing.Pacing;

namespace MLwatch.Cli.Producing;

/// <summary>
/// Produces images to the requests topic in the MLwatch wire format, at a target rate, and, with a
/// <see cref="ConsumerLagPacer"/>, no faster than the consumer group reads them (the embedded broker).
/// </summary>
public sealed class ImageProducer : IDisposable
{
    /// <summary>Largest record this producer sends: above any Inference:MaxImageBytes a profile sets (16 MiB in local.json).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    // What a record adds to a partition's log besides its key, value and headers (record and batch framing).
    private const int RecordOverheadBytes = 96;

    private readonly string _bootstrapServers;
    private readonly string _topic;
    private readonly ConsumerLagPacer? _pacer;
    private readonly string? _model;
    private readonly bool _sendPaths;
    private readonly IProducer<string, byte[]> _producer;

    /// <summary>
    /// Creates a producer to <paramref name="topic"/>; <paramref name="pacer"/> (owned by the caller) paces it by the
    /// consumer group's lag; <paramref name="model"/> goes into the mlwatch-model header; <paramref name="sendPaths"/>
    /// sends each image's absolute file path (content-type text/uri-list) instead of its bytes.
    /// </summary>
    public ImageProducer(string bootstrapServers, string topic, ConsumerLagPacer? pacer = null, string? model = null, bool sendPaths = false)
    {
        _bootstrapServers = bootstrapServers;
        _topic = topic;
        _pacer = pacer;
        _model = model;
        _sendPaths = sendPaths;
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            MessageMaxBytes = MaxMessageBytes,
        }).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>
    /// Produces <paramref name="count"/> images from <paramref name="source"/> at <paramref name="rate"/> records/s
    /// (0 = as fast as possible, or as the pacer allows) and returns once the broker acknowledged all of them.
    /// </summary>
    public async Task<int> ProduceAsync(IImageSource source, int count, double rate, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var failures = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(i / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }
            }

            var image = source.Get(i);
            var headers = new Headers { { RecordHeaders.SentAt, Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) } };
            if (image.Label is not null)
            {
                headers.Add(RecordHeaders.Label, Encoding.UTF8.GetBytes(image.Label));
            }

            if (_model is not null)
            {
                headers.Add(RecordHeaders.Model, Encoding.UTF8.GetBytes(_model));
            }

            var value = image.Bytes;
            if (_sendPaths)
            {
                headers.Add(RecordHeaders.ContentType, Encoding.UTF8.GetBytes(RecordHeaders.UriListContentType));
                value = Encoding.UTF8.GetBytes(image.FilePath ?? throw new InvalidOperationException(
                    $"Image '{image.Id}' is not a file, so no path can be sent for it: path records need a directory of images (--source DIR)."));
            }

            var message = new Message<string, byte[]> { Key = image.Id, Value = value, Headers = headers };
            var size = SizeOf(message);
            var partition = _pacer is null ? Partition.Any : new Partition(await _pacer.ReserveAsync(size, cancellationToken));
            ProduceWithBackPressure(new TopicPartition(_topic, partition), message, report =>
            {
                if (report.Error.IsError)
                {
                    _pacer?.Ledger.Failed(partition.Value, size);
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        firstError = report.Error.Reason;
                    }
                }
                else
                {
                    _pacer?.Ledger.Acknowledged(partition.Value, report.Offset.Value, size);
                }
            });
            if (i % 100 == 99)
            {
                progress?.Report(i + 1);
            }
        }

        while (_producer.Flush(TimeSpan.FromMilliseconds(200)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        progress?.Report(count);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} records were not acknowledged by Kafka at {_bootstrapServers} (first error: {firstError}).");
        }

        return count;
    }

    private static long SizeOf(Message<string, byte[]> message) =>
        message.Value.Length + Encoding.UTF8.GetByteCount(message.Key) + message.Headers.Sum(h => h.Key.Length + h.GetValueBytes().Length) + RecordOverheadBytes;

    private void ProduceWithBackPressure(TopicPartition destination, Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>> onDelivered)
    {
        while (true)
        {
            try
            {
                _producer.Produce(destination, message, onDelivered);
                return;
            }
            catch (ProduceException<string, byte[]> exception) when (exception.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    public void Dispose() => _producer.Dispose();
}
