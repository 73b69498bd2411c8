using System.Diagnostics;

namespace MLwatch.Inference.Execution;

/// <summary>
/// What one model version did on this silo since it first served: records classified and refused, the executor's time
/// per record (from handing it over to its outcome: queue wait, decode, the batch's ONNX run), the end-to-end latency
/// of its predictions, batch sizes. Cumulative, so a report of it can be sent again or lost without harm. Thread-safe.
/// </summary>
public sealed class VersionServingStatistics
{
    private readonly Lock _lock = new();
    private readonly ServingLatencyHistogram _executor = new();
    private readonly ServingLatencyHistogram _endToEnd = new();
    private readonly SortedDictionary<int, long> _batchSizes = [];
    private long _errors;
    private TimeSpan _total;
    private TimeSpan _min = TimeSpan.MaxValue;
    private TimeSpan _max;

    internal VersionServingStatistics(string model, string version, DateTimeOffset since)
    {
        Model = model;
        Version = version;
        Since = since;
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>Its version.</summary>
    public string Version { get; }

    /// <summary>When this silo first handed a record to it.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>A copy of the statistics now.</summary>
    public ServingStatisticsSnapshot Snapshot()
    {
        lock (_lock)
        {
            var records = _executor.Count;
            return new ServingStatisticsSnapshot(
                Model,
                Version,
                Since,
                records,
                _errors,
                _total.TotalMilliseconds,
                records == 0 ? 0 : _min.TotalMilliseconds,
                _max.TotalMilliseconds,
                _executor.Buckets(),
                _endToEnd.Buckets(),
                [.. _batchSizes.Select(b => (b.Key, b.Value))]);
        }
    }

    /// <summary>The predictions of <paramref name="latenciesMs"/> reached their statistics, that long after they were sent.</summary>
    public void Delivered(IEnumerable<double> latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        lock (_lock)
        {
            foreach (var latency in latenciesMs)
            {
                _endToEnd.Record(TimeSpan.FromMilliseconds(latency));
            }
        }
    }

    /// <summary><paramref name="count"/> records were refused: the version cannot decode them, failed to load or to run their batch.</summary>
    internal void Refused(int count)
    {
        lock (_lock)
        {
            _errors += count;
        }
    }

    /// <summary>A batch ran: each image's time in the executor ends now.</summary>
    internal void Classified(IReadOnlyList<PendingImage> batch)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _batchSizes[batch.Count] = _batchSizes.GetValueOrDefault(batch.Count) + 1;
            foreach (var image in batch)
            {
                var latency = Stopwatch.GetElapsedTime(image.SubmittedAt, now);
                _executor.Record(latency);
                _total += latency;
                _min = latency < _min ? latency : _min;
                _max = latency > _max ? latency : _max;
            }
        }
    }
}
