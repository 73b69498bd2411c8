using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Persistence;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference.Imaging;
using MLwatch.Streaming.Kafka;
using Orleans.Storage;

namespace MLwatch.Grains.Tests.Checkpointing;

public sealed class PoisonRecordIsolationTests
{
    private const string Topic = "mlwatch.requests";
    private static readonly KafkaPartition Source = new(Topic, 3);

    private readonly RecordedDeliveryFailures _failures = new();
    private readonly RecordingLogger _logger = new();
    private readonly List<TimeSpan> _delays = [];
    private readonly List<(Delivery Delivery, KafkaRecord Record, ImageRejection Rejection)> _deadLetters = [];
    private readonly List<long> _faultChecks = [];

    [Fact]
    public async Task A_delivery_that_succeeds_is_consumed_once_and_reported_as_a_success()
    {
        var consumed = new List<Delivery>();

        await Isolation().ConsumeAsync(Deliver(100, 163), d => Record(consumed, d));

        Assert.Equal([(100L, 163L)], consumed.Select(d => (d.FirstOffset, d.LastOffset)));
        Assert.Equal(["succeeded mlwatch.requests/3"], _failures.Events);
        Assert.Empty(_deadLetters);
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task A_passing_failure_is_retried_with_doubling_backoff_and_nothing_is_dead_lettered()
    {
        var attempts = 0;

        await Isolation().ConsumeAsync(Deliver(0, 9), _ => ++attempts <= 2 ? throw new InvalidOperationException("glitch") : Task.CompletedTask);

        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], _delays);
        Assert.Equal(["failed mlwatch.requests/3: InvalidOperationException", "failed mlwatch.requests/3: InvalidOperationException", "succeeded mlwatch.requests/3"], _failures.Events);
        Assert.Empty(_deadLetters);
    }

    [Fact]
    public void Backoff_doubles_from_the_configured_wait_up_to_one_second()
    {
        var isolation = Isolation(new IngestOptions { DeliveryRetries = 10, DeliveryRetryBackoff = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(
            [300, 600, 1000, 1000],
            Enumerable.Range(1, 4).Select(retry => isolation.BackoffBefore(retry).TotalMilliseconds));
    }

    [Fact]
    public async Task A_poison_record_is_isolated_and_dead_lettered_while_every_other_record_is_applied_exactly_once()
    {
        // Two grains per delivery, as the inference grain has: the labels apply first, then the monitor throws on 137.
        var labels = new CountingGrain();
        var monitor = new CountingGrain();
        var delivery = Deliver(100, 163);

        await Isolation().ConsumeAsync(delivery, d =>
        {
            labels.Apply(d);
            if (d.Records.Any(r => r.Offset == 137))
            {
                throw new InvalidOperationException("Sequence contains no elements");
            }

            monitor.Apply(d);
            return Task.CompletedTask;
        });

        var (deadDelivery, deadRecord, rejection) = Assert.Single(_deadLetters);
        Assert.Equal(137, deadRecord.Offset);
        Assert.Equal((137L, 137L), (deadDelivery.FirstOffset, deadDelivery.LastOffset));
        Assert.Equal(IngestRejectionReasons.InternalError, rejection.Reason);
        Assert.Equal("InvalidOperationException: Sequence contains no elements", rejection.Message);

        // Every record once in the monitor but the poison one; the labels took it before the monitor threw, once.
        Assert.All(Enumerable.Range(100, 64), offset => Assert.Equal(offset == 137 ? 0 : 1, monitor.CountOf(offset)));
        Assert.All(Enumerable.Range(100, 64), offset => Assert.Equal(1, labels.CountOf(offset)));

        // The halves' ranges are exact: the monitor recorded every offset of the delivery but the poison record's.
        Assert.Equal(1, AppliedOffsets.CountMissing(monitor.Intervals, 100, 163));
        Assert.False(AppliedOffsets.Contains(monitor.Intervals, 137));
        Assert.Equal("succeeded mlwatch.requests/3", _failures.Events[^1]);
        // 1 + 3 retries of the whole, then one failing half at each of the 6 levels down to the record.
        Assert.Equal(4 + 6, _failures.FailedCount);
    }

    [Fact]
    public async Task Two_poison_records_in_different_halves_are_both_isolated()
    {
        var applied = new CountingGrain();

        await Isolation().ConsumeAsync(Deliver(0, 15), d =>
        {
            if (d.Records.Any(r => r.Offset is 2 or 13))
            {
                throw new FormatException("bad");
            }

            applied.Apply(d);
            return Task.CompletedTask;
        });

        Assert.Equal([2L, 13L], _deadLetters.Select(d => d.Record.Offset));
        Assert.All(Enumerable.Range(0, 16), offset => Assert.Equal(offset is 2 or 13 ? 0 : 1, applied.CountOf(offset)));
    }

    [Fact]
    public async Task When_every_record_fails_each_is_dead_lettered_and_halving_stays_within_two_attempts_per_record()
    {
        var attempts = 0;

        await Isolation().ConsumeAsync(Deliver(0, 63), _ =>
        {
            attempts++;
            throw new NullReferenceException();
        });

        Assert.Equal(Enumerable.Range(0, 64).Select(o => (long)o), _deadLetters.Select(d => d.Record.Offset));
        Assert.Equal(4 + 126, attempts);
    }

    [Fact]
    public async Task A_single_record_delivery_is_retried_before_it_is_dead_lettered()
    {
        var attempts = 0;

        await Isolation().ConsumeAsync(Deliver(7, 7), _ =>
        {
            attempts++;
            throw new ArgumentException("no");
        });

        Assert.Equal(4, attempts);
        Assert.Equal(7, Assert.Single(_deadLetters).Record.Offset);
    }

    public static TheoryData<Exception> ExternalFailures() =>
    [
        new TimeoutException("Response did not arrive on time in 00:00:30"),
        new Orleans.Runtime.Messaging.ConnectionFailedException("Connection to 127.0.0.1:11111 failed"),
        new SiloUnavailableException("The target silo became unavailable"),
        new InconsistentStateException("Version conflict"),
        new OrleansException("Error from storage provider", new IOException("connection refused")),
        new ProduceException<byte[], byte[]>(new Error(Confluent.Kafka.ErrorCode.Local_MsgTimedOut), new DeliveryResult<byte[], byte[]>()),
        new TaskCanceledException(),
        new InvalidOperationException("wrapped", new TimeoutException()),
        new AggregateException(new ArgumentException("first"), new SiloUnavailableException()),
    ];

    [Theory]
    [MemberData(nameof(ExternalFailures))]
    public async Task A_failure_that_is_not_the_records_fault_is_rethrown_at_once_and_dead_letters_nothing(Exception failure)
    {
        var attempts = 0;

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => Isolation().ConsumeAsync(Deliver(0, 9), _ =>
        {
            attempts++;
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Equal(1, attempts);
        Assert.Equal([$"failed mlwatch.requests/3: {failure.GetType().Name}"], _failures.Events);
        Assert.Empty(_deadLetters);
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task A_dependency_failing_while_a_delivery_is_being_halved_fails_the_delivery_instead_of_dead_lettering()
    {
        var applied = new CountingGrain();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Isolation().ConsumeAsync(Deliver(0, 7), d =>
        {
            if (d.Records.Count == 8)
            {
                throw new InvalidOperationException("bug");
            }

            if (d.FirstOffset >= 4)
            {
                throw new SiloUnavailableException();
            }

            applied.Apply(d);
            return Task.CompletedTask;
        }));

        Assert.Empty(_deadLetters);
        Assert.Equal(4, Enumerable.Range(0, 8).Sum(offset => applied.CountOf(offset)));
    }

    [Fact]
    public async Task The_fault_injection_is_asked_about_each_record_before_it_is_consumed_and_can_poison_one()
    {
        var injected = new ThrowingOn(_faultChecks, offset: 5);
        var consumed = new List<Delivery>();

        await Isolation(faults: injected).ConsumeAsync(Deliver(0, 7), d => Record(consumed, d));

        Assert.Equal(5, Assert.Single(_deadLetters).Record.Offset);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 0], _faultChecks.Take(7));
        Assert.Equal([0L, 1, 2, 3, 4, 6, 7], consumed.SelectMany(d => d.Records).Select(r => r.Offset).Order());
        Assert.Equal("InvalidOperationException: injected fault at offset 5", _deadLetters[0].Rejection.Message);
    }

    [Fact]
    public async Task The_stack_is_logged_once_per_exception_type_and_site_not_per_record()
    {
        await Isolation().ConsumeAsync(Deliver(0, 3), d => d.Records.Any(r => r.Offset is 1 or 2) ? Fail() : Task.CompletedTask);

        var withStack = _logger.Entries.Where(e => e.Exception is not null).ToArray();
        var (level, message, exception) = Assert.Single(withStack);
        Assert.Equal(LogLevel.Error, level);
        Assert.IsType<InvalidOperationException>(exception);
        Assert.Contains(Topic + "/3/1", message, StringComparison.Ordinal);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Exception is null && e.Message.Contains(Topic + "/3/2", StringComparison.Ordinal));

        static Task Fail() => throw new InvalidOperationException("same bug");
    }

    [Fact]
    public async Task A_long_exception_message_is_cut_to_a_readable_length()
    {
        await Isolation().ConsumeAsync(Deliver(0, 0), _ => throw new InvalidOperationException(new string('x', 5000)));

        var message = Assert.Single(_deadLetters).Rejection.Message;
        Assert.StartsWith("InvalidOperationException: xxx", message, StringComparison.Ordinal);
        Assert.Equal(1001, message.Length);
    }

    [Fact]
    public void Halves_cover_the_delivery_range_exactly_even_around_offset_gaps()
    {
        // Offsets 10..19 with a gap (transaction markers) at 14..15, where the delivery is cut.
        var records = new long[] { 10, 11, 12, 13, 16, 17, 18, 19 }.Select(RecordAt).ToArray();
        var delivery = new Delivery(Source, 10, 19, 0, records);

        var (first, second) = delivery.Halves();

        Assert.Equal((10L, 15L), (first.FirstOffset, first.LastOffset));
        Assert.Equal((16L, 19L), (second.FirstOffset, second.LastOffset));
        Assert.Equal([10L, 11, 12, 13], first.Records.Select(r => r.Offset));
        Assert.Equal([16L, 17, 18, 19], second.Records.Select(r => r.Offset));
    }

    private PoisonRecordIsolation Isolation(IngestOptions? options = null, IDeliveryFaultInjection? faults = null) =>
        new(
            options ?? new IngestOptions(),
            _failures,
            faults ?? new RecordingFaults(_faultChecks),
            (delivery, record, rejection) =>
            {
                _deadLetters.Add((delivery, record, rejection));
                return Task.CompletedTask;
            },
            delay =>
            {
                _delays.Add(delay);
                return Task.CompletedTask;
            },
            _logger);

    private static Task Record(List<Delivery> consumed, Delivery delivery)
    {
        consumed.Add(delivery);
        return Task.CompletedTask;
    }

    private static Delivery Deliver(long first, long last) =>
        new(Source, first, last, 0, [.. Enumerable.Range(0, (int)(last - first + 1)).Select(i => RecordAt(first + i))]);

    private static KafkaRecord RecordAt(long offset) => new(Topic, Source.Partition, offset, null, [1, 2, 3], [], 1_700_000_000_000);

    /// <summary>A stateful grain as far as exactly-once goes: applied-offset intervals and a count per offset.</summary>
    private sealed class CountingGrain
    {
        private readonly AppliedOffsets _applied = new();
        private readonly Dictionary<long, int> _counts = [];

        public List<OffsetInterval> Intervals => _applied.Partitions[AppliedOffsets.Key(Topic, Source.Partition)];

        public int CountOf(long offset) => _counts.GetValueOrDefault(offset);

        public void Apply(Delivery delivery) =>
            _applied.Apply(Topic, Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore, delivery.Records, r => r.Offset, r => _counts[r.Offset] = CountOf(r.Offset) + 1);
    }

    private sealed class RecordingFaults(List<long> checks) : IDeliveryFaultInjection
    {
        public void BeforeConsume(KafkaRecord record) => checks.Add(record.Offset);
    }

    private sealed class ThrowingOn(List<long> checks, long offset) : IDeliveryFaultInjection
    {
        public void BeforeConsume(KafkaRecord record)
        {
            checks.Add(record.Offset);
            if (record.Offset == offset)
            {
                throw new InvalidOperationException($"injected fault at offset {offset}");
            }
        }
    }
}
