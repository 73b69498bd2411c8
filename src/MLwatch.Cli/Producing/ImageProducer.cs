using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;

namespace MLwatch.Cli.Producing;

/// <summary>Produces images to the requests topic in the MLwatch wire format, at a target rate.</summary>
public sealed class ImageProducer(string bootstrapServers, string topic) : IDisposable
{
    private readonly IProducer<string, byte[]> _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
    }).SetLogHandler((_, _) => { }).Build();

    /// <summary>
    /// Produces <paramref name="count"/> images from <paramref name="source"/> at <paramref name="rate"/> records/s
    /// (0 = as fast as possible) and returns once the broker acknowledged all of them.
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

            var message = new Message<string, byte[]> { Key = image.Id, Value = image.Bytes, Headers = headers };
            ProduceWithBackPressure(message, report =>
            {
                if (report.Error.IsError && Interlocked.Increment(ref failures) == 1)
                {
                    firstError = report.Error.Reason;
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
            throw new InvalidOperationException($"{failures} of {count} records were not acknowledged by Kafka at {bootstrapServers} (first error: {firstError}).");
        }

        return count;
    }

    private void ProduceWithBackPressure(Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>> onDelivered)
    {
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, onDelivered);
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
