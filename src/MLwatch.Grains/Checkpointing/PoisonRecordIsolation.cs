using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Telemetry;
using MLwatch.Inference.Imaging;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// The silo's failure policy for stream deliveries (see <see cref="DeliveryConsumerGrain"/> for the policy and its
/// guarantee): retries a failing delivery a bounded number of times with backoff, then halves it recursively until the
/// record(s) that fail are isolated and dead-letters those as <c>internal-error</c>; rethrows failures that are not the
/// records' fault (<see cref="ExternalFailure"/>) so the delivery waits. Reports every attempt to <see cref="IDeliveryFailures"/>,
/// and every delivery consumed to <see cref="PipelineMetrics"/>.
/// </summary>
public sealed partial class PoisonRecordIsolation
{
    // Exception texts travel in a Kafka header and the API: keep them to a size a person reads.
    private const int MaxErrorLength = 1000;

    private readonly int _retries;
    private readonly TimeSpan _backoff;
    private readonly IDeliveryFailures _failures;
    private readonly IDeliveryFaultInjection _faults;
    private readonly Func<Delivery, KafkaRecord, ImageRejection, Task> _deadLetter;
    private readonly Func<TimeSpan, Task> _delay;
    private readonly ILogger _logger;
    private readonly PipelineMetrics? _metrics;
    private readonly ConcurrentDictionary<string, bool> _stacksLogged = new(StringComparer.Ordinal);

    public PoisonRecordIsolation(
        IOptions<IngestOptions> options,
        IDeliveryFailures failures,
        IDeliveryFaultInjection faults,
        DeadLetterPublisher deadLetters,
        PipelineMetrics metrics,
        TimeProvider clock,
        ILogger<PoisonRecordIsolation> logger)
        : this(options.Value, failures, faults, (delivery, record, rejection) => deadLetters.DeadLetterAsync(delivery, [(record, rejection)]), delay => Task.Delay(delay, clock), logger) =>
        _metrics = metrics;

    /// <summary>For tests: dead letters and waits go where the test says.</summary>
    internal PoisonRecordIsolation(
        IngestOptions options,
        IDeliveryFailures failures,
        IDeliveryFaultInjection faults,
        Func<Delivery, KafkaRecord, ImageRejection, Task> deadLetter,
        Func<TimeSpan, Task> delay,
        ILogger logger)
    {
        _retries = options.DeliveryRetries;
        _backoff = options.DeliveryRetryBackoff;
        _failures = failures;
        _faults = faults;
        _deadLetter = deadLetter;
        _delay = delay;
        _logger = logger;
    }

    /// <summary>
    /// Consumes <paramref name="delivery"/> with <paramref name="consume"/>; returns once every record was applied or
    /// dead-lettered, and throws only failures that are not the records' fault.
    /// </summary>
    public async Task ConsumeAsync(Delivery delivery, Func<Delivery, Task> consume)
    {
        var started = Stopwatch.GetTimestamp();
        var failure = await AttemptAsync(delivery, consume);
        for (var retry = 1; failure is not null && retry <= _retries; retry++)
        {
            await _delay(BackoffBefore(retry));
            failure = await AttemptAsync(delivery, consume);
        }

        if (failure is not null)
        {
            LogIsolating(delivery.Source.Topic, delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, _retries + 1, Describe(failure));
            var isolated = await IsolateAsync(delivery, consume, failure);
            LogIsolated(delivery.Source.Topic, delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, isolated, delivery.Records.Count - isolated);
        }

        _failures.Succeeded(delivery.Source);
        _metrics?.Processed(delivery, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1-based): the backoff, doubled for each further retry, at most <see cref="IngestOptions.MaxDeliveryRetryBackoff"/>.</summary>
    internal TimeSpan BackoffBefore(int retry) =>
        TimeSpan.FromTicks((long)Math.Min(_backoff.Ticks * Math.Pow(2, retry - 1), IngestOptions.MaxDeliveryRetryBackoff.Ticks));

    /// <summary>"{exception type}: {message}", as dead letters and the partition status show it.</summary>
    internal static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength), "…");
    }

    /// <summary>One attempt: null when it succeeded, the failure when it may lie in the records; rethrows any other failure.</summary>
    private async Task<Exception?> AttemptAsync(Delivery delivery, Func<Delivery, Task> consume)
    {
        try
        {
            foreach (var record in delivery.Records)
            {
                _faults.BeforeConsume(record);
            }

            await consume(delivery);
            return null;
        }
        catch (Exception exception)
        {
            _failures.Failed(delivery.Source, exception);
            if (ExternalFailure.Is(exception))
            {
                LogWaiting(delivery.Source.Topic, delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, Describe(exception));
                throw;
            }

            return exception;
        }
    }

    /// <summary>Halves a failing delivery until its failing records stand alone, and dead-letters those; returns how many.</summary>
    private async Task<int> IsolateAsync(Delivery delivery, Func<Delivery, Task> consume, Exception failure)
    {
        if (delivery.Records.Count == 1)
        {
            await DeadLetterAsync(delivery, failure);
            return 1;
        }

        // The parent was retried already: each half is tried once, and only a failing one is cut further.
        var (first, second) = delivery.Halves();
        var isolated = 0;
        foreach (var half in (Delivery[])[first, second])
        {
            if (await AttemptAsync(half, consume) is { } halfFailure)
            {
                isolated += await IsolateAsync(half, consume, halfFailure);
            }
        }

        return isolated;
    }

    private async Task DeadLetterAsync(Delivery delivery, Exception failure)
    {
        var record = delivery.Records[0];
        var error = Describe(failure);
        var site = $"{failure.GetType().FullName} at {failure.TargetSite?.DeclaringType?.FullName}.{failure.TargetSite?.Name}";
        if (_stacksLogged.TryAdd(site, true))
        {
            LogInternalErrorFirstSeen(failure, record.Coordinates, error, site);
        }
        else
        {
            LogInternalError(record.Coordinates, error, site);
        }

        await _deadLetter(delivery, record, new ImageRejection(IngestRejectionReasons.InternalError, error));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery of {Topic} partition {Partition} offsets {FirstOffset}..{LastOffset} failed with {Error}, which is not the records' fault: it waits and is delivered again.")]
    private partial void LogWaiting(string topic, int partition, long firstOffset, long lastOffset, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {Topic} partition {Partition} offsets {FirstOffset}..{LastOffset} failed {Attempts} times, last with {Error}; splitting it to isolate the failing record(s), which will be dead-lettered as internal-error.")]
    private partial void LogIsolating(string topic, int partition, long firstOffset, long lastOffset, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {Topic} partition {Partition} offsets {FirstOffset}..{LastOffset}: {Isolated} record(s) dead-lettered as internal-error, {Applied} applied; the partition moves on.")]
    private partial void LogIsolated(string topic, int partition, long firstOffset, long lastOffset, int isolated, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Record {Coordinates} failed every time it was consumed, alone, with {Error}: dead-lettered as internal-error. This is a bug in MLwatch; please report it with this stack, which is logged once per silo for {Site}.")]
    private partial void LogInternalErrorFirstSeen(Exception exception, string coordinates, string error, string site);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record {Coordinates} dead-lettered as internal-error: {Error} (stack logged earlier for {Site}).")]
    private partial void LogInternalError(string coordinates, string error, string site);
}
