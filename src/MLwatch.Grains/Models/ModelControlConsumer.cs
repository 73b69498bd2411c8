using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Models;

/// <summary>
/// Reads the whole models control topic on every silo — a broadcast, not one of the balanced Orleans queues: its own
/// consumer, every partition assigned from the beginning, no consumer group offsets (a silo that starts reads every
/// record again; the registry applies each once, by position) — and hands each record to <see cref="LocalModels"/>.
/// The blocking consumer runs on a thread of its own. <see cref="CaughtUp"/> completes once every partition was read to
/// the end it had when the consumer started.
/// </summary>
public sealed partial class ModelControlConsumer(
    LocalModels models,
    KafkaEndpoint endpoint,
    IOptionsMonitor<KafkaStreamOptions> kafka,
    IOptions<ModelsOptions> options,
    ILogger<ModelControlConsumer> logger) : IDisposable
{
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Completes once the records that were on the topic at start have been handled.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>Starts reading on a thread of its own.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "models-control" };
        _thread.Start();
    }

    /// <summary>Stops reading and waits for the record being handled.</summary>
    public void Stop()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        _thread?.Join(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        var topic = options.Value.ControlTopic;
        var settings = kafka.Get(StreamNames.Provider);
        var config = new ConsumerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(settings.BootstrapServers), settings.ClientConfig))
        {
            // Never used to commit: it only satisfies the client, which wants a group id.
            GroupId = $"mlwatch-models-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            MaxPartitionFetchBytes = options.Value.MaxRecordBytes + (64 * 1024),
        };
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
                Read(consumer, topic);
                return;
            }
            catch (KafkaException exception)
            {
                LogReadFailed(exception, topic, exception.Error.Reason);
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5));
            }
        }
    }

    private void Read(IConsumer<byte[]?, byte[]?> consumer, string topic)
    {
        var settings = kafka.Get(StreamNames.Provider);
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, settings.MetadataTimeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, settings.MetadataTimeout).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        LogReading(topic, partitions.Count, ends.Values.Sum());
        var pending = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        if (pending.Count == 0)
        {
            _caughtUp.TrySetResult();
        }

        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            }
            catch (ConsumeException exception)
            {
                LogReadFailed(exception, topic, exception.Error.Reason);
                continue;
            }

            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            try
            {
                models.HandleAsync(result, _stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A record that fails for a reason not its own (the registry unreachable): tried again after a pause.
                LogHandleFailed(exception, topic, result.Partition.Value, result.Offset.Value);
                consumer.Seek(result.TopicPartitionOffset);
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
                continue;
            }

            if (pending.Count > 0 && result.Offset.Value + 1 >= ends[result.Partition.Value] && pending.Remove(result.Partition.Value) && pending.Count == 0)
            {
                LogCaughtUp(topic);
                _caughtUp.TrySetResult();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the models control topic {Topic} from the beginning: {Partitions} partition(s), {Records} record(s) so far")]
    private partial void LogReading(string topic, int partitions, long records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read the models control topic {Topic} to its end; following it")]
    private partial void LogCaughtUp(string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the models control topic {Topic} ({Reason}); trying again")]
    private partial void LogReadFailed(Exception exception, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling models control record {Topic}/{Partition}/{Offset} failed; trying it again")]
    private partial void LogHandleFailed(Exception exception, string topic, int partition, long offset);
}
