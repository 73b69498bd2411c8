using System.Diagnostics;
using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Pacing;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Cli.Bench;

/// <summary>
/// The whole pipeline — embedded broker, one silo, in-memory state — measured two ways:
/// <list type="bullet">
/// <item><b>Drain</b>: one silo, warmed up on a first round that is not counted (a silo's first seconds are mostly
/// the JIT compiling it). Then, per round, the silo's pulling agents stop, the request topic is filled unread, the agents
/// start, and the time from the first record read to the last prediction counted is measured, so the producer's cost is
/// not in it. The embedded broker keeps 4 MiB per partition safely (see <see cref="ConsumerLagPacer"/>), so a round
/// holds what fits; rounds repeat until their drains add up to the duration.</item>
/// <item><b>Latency</b>: records produced at a steady rate (the producer paced as usual), end-to-end latency from each
/// record's mlwatch-sent-at to its aggregation, read from the label grains' latency histograms after a warm-up.</item>
/// </list>
/// </summary>
public sealed class PipelineBenchmark(BenchInputs inputs, bool sendPaths, int partitions, int decodeWorkers, int intraOpThreads, Action<string> progress) : IAsyncDisposable
{
    private const int MaxRounds = 6;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private readonly EmbeddedKafkaBroker _broker = StartBroker(partitions);
    private readonly List<double> _batchSizes = [];

    /// <summary>Scheduler-starvation warnings the silos logged while measured.</summary>
    public SchedulerWarnings Warnings { get; } = new();

    /// <summary>Mean images per ONNX batch over everything the silos classified.</summary>
    public double MeanBatchSize => _batchSizes.Count == 0 ? 0 : _batchSizes.Average();

    /// <summary>Drains pre-filled rounds until they add up to <paramref name="duration"/>; records per second over all of them.</summary>
    public async Task<DrainMeasurement> DrainAsync(TimeSpan duration, double expectedPerSecond)
    {
        var perRound = RecordsPerRound(expectedPerSecond, duration);
        await using var silo = await BenchSilo.StartAsync(inputs, _broker.BootstrapServers, decodeWorkers, intraOpThreads, Warnings);
        await FillAsync(perRound);
        while (await silo.PredictionsAsync() < perRound)
        {
            await Task.Delay(50);
        }

        progress($"pipeline warmed up on {perRound:N0} records");
        var drained = TimeSpan.Zero;
        var records = 0L;
        var rounds = 0;
        while (drained < duration && rounds < MaxRounds)
        {
            rounds++;
            await silo.StopReadingAsync();
            var target = await silo.PredictionsAsync() + perRound;
            await FillAsync(perRound);
            await silo.StartReadingAsync();
            while (!silo.HasStartedReading)
            {
                await Task.Delay(5);
            }

            var clock = Stopwatch.StartNew();
            while (await silo.PredictionsAsync() < target)
            {
                await Task.Delay(50);
            }

            var elapsed = clock.Elapsed;
            drained += elapsed;
            records += perRound;
            progress($"pipeline drain, round {rounds}: {perRound:N0} records in {elapsed.TotalSeconds:F2} s ({perRound / elapsed.TotalSeconds:N0} records/s)");
        }

        RecordBatches(silo);
        return new DrainMeasurement(records, drained, rounds, records / drained.TotalSeconds);
    }

    /// <summary>Produces at <paramref name="perSecond"/> for <paramref name="duration"/> after a warm-up; the latency percentiles of what was produced after it.</summary>
    public async Task<LatencyMeasurement> LatencyAsync(double perSecond, TimeSpan duration)
    {
        await using var silo = await BenchSilo.StartAsync(inputs, _broker.BootstrapServers, decodeWorkers, intraOpThreads, Warnings);
        using var pacer = ConsumerLagPacer.Start(_broker.BootstrapServers, TopicNames.Requests, "mlwatch", System.Console.Error);
        using var producer = new ImageProducer(_broker.BootstrapServers, TopicNames.Requests, pacer, sendPaths: sendPaths);
        var source = new BenchImageSource(inputs);
        var warmUp = (int)Math.Ceiling(perSecond * WarmUp.TotalSeconds);
        await producer.ProduceAsync(source, warmUp, perSecond, null, CancellationToken.None);
        while (await silo.PredictionsAsync() < warmUp)
        {
            await Task.Delay(50);
        }

        var before = await LatencyHistogramAsync(silo);
        var count = (int)Math.Ceiling(perSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        await producer.ProduceAsync(source, count, perSecond, null, CancellationToken.None);
        var produced = clock.Elapsed;
        while (await silo.PredictionsAsync() < warmUp + count)
        {
            await Task.Delay(50);
        }

        var after = await LatencyHistogramAsync(silo);
        var histogram = after.Zip(before, (a, b) => a - b).ToArray();
        RecordBatches(silo);
        var measurement = new LatencyMeasurement(count / produced.TotalSeconds, LatencyHistogram.Percentile(histogram, 0.5) ?? 0, LatencyHistogram.Percentile(histogram, 0.99) ?? 0);
        progress($"latency at {measurement.OfferedPerSecond:N0} records/s: p50 {measurement.P50Ms:F1} ms, p99 {measurement.P99Ms:F1} ms");
        return measurement;
    }

    public ValueTask DisposeAsync()
    {
        _broker.Dispose();
        return ValueTask.CompletedTask;
    }

    private static EmbeddedKafkaBroker StartBroker(int partitions)
    {
        var broker = EmbeddedKafkaBroker.Start();
        broker.CreateTopic(TopicNames.Requests, partitions);
        return broker;
    }

    /// <summary>As many records as fit the broker safely, and no more than about the duration's worth.</summary>
    private int RecordsPerRound(double expectedPerSecond, TimeSpan duration)
    {
        var recordBytes = (sendPaths ? inputs.Files.Max(f => f.Length) : inputs.Images.Max(i => i.Length)) + 200L;
        var perPartition = (int)Math.Min(ConsumerLagPacer.DefaultMaxUnreadBytes / recordBytes, ConsumerLagPacer.DefaultMaxUnreadRecords);
        var fits = perPartition * partitions;
        return (int)Math.Max(1, Math.Min(fits, expectedPerSecond * duration.TotalSeconds));
    }

    private async Task FillAsync(int count)
    {
        // Paced as any producer on the embedded broker, though no silo reads: the round is sized to fill the budget, so
        // every partition takes its share and none waits.
        using var pacer = ConsumerLagPacer.Start(_broker.BootstrapServers, TopicNames.Requests, "mlwatch", System.Console.Error);
        using var producer = new ImageProducer(_broker.BootstrapServers, TopicNames.Requests, pacer, sendPaths: sendPaths);
        await producer.ProduceAsync(new BenchImageSource(inputs), count, 0, null, CancellationToken.None);
    }

    private void RecordBatches(BenchSilo silo)
    {
        foreach (var statistics in silo.Executor.BatchStatistics().Values)
        {
            _batchSizes.Add(statistics.MeanBatchSize);
        }
    }

    private async Task<long[]> LatencyHistogramAsync(BenchSilo silo)
    {
        var total = new long[LatencyHistogram.Bins];
        foreach (var label in (await silo.LabelsAsync(inputs.Model)).Labels)
        {
            LatencyHistogram.AddInto(total, label.LatencyHistogram);
        }

        return total;
    }

    /// <summary>The benchmark's images as a producer source, each record with its own id; files for path records.</summary>
    private sealed class BenchImageSource(BenchInputs inputs) : IImageSource
    {
        private int _issued;

        public int Count => inputs.Images.Count;

        public SourceImage Get(int index)
        {
            var i = index % inputs.Images.Count;
            return new SourceImage($"bench-{Interlocked.Increment(ref _issued)}", inputs.Images[i], null, inputs.Files[i]);
        }
    }
}

/// <summary>What <see cref="PipelineBenchmark.DrainAsync"/> measured.</summary>
public sealed record DrainMeasurement(long Records, TimeSpan Drained, int Rounds, double RecordsPerSecond);

/// <summary>What <see cref="PipelineBenchmark.LatencyAsync"/> measured: the rate offered and the end-to-end latency percentiles.</summary>
public sealed record LatencyMeasurement(double OfferedPerSecond, double P50Ms, double P99Ms);
