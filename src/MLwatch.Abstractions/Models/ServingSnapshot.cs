namespace MLwatch.Abstractions.Models;

/// <summary>
/// One model version's serving statistics on one silo since it first served it, as the silo last reported them.
/// Cumulative: a later report replaces an earlier one, so a report sent twice changes nothing.
/// </summary>
[GenerateSerializer, Alias("mlwatch.serving-snapshot")]
public sealed class ServingSnapshot
{
    /// <summary>When the silo first handed a record to the version.</summary>
    [Id(0)] public DateTimeOffset Since { get; set; }

    /// <summary>When the silo took this snapshot.</summary>
    [Id(1)] public DateTimeOffset ReportedAt { get; set; }

    /// <summary>Records classified.</summary>
    [Id(2)] public long Records { get; set; }

    /// <summary>Records refused by the version: it could not decode them, failed to load, or failed to run their batch.</summary>
    [Id(3)] public long Errors { get; set; }

    /// <summary>The executor's time for all classified records together (queue wait, decode, the batch's ONNX run), in ms.</summary>
    [Id(4)] public double TotalMs { get; set; }

    /// <summary>The shortest executor time of a record, in ms (0 before the first).</summary>
    [Id(5)] public double MinMs { get; set; }

    /// <summary>The longest, in ms.</summary>
    [Id(6)] public double MaxMs { get; set; }

    /// <summary>The executor time per record.</summary>
    [Id(7)] public LatencyBuckets ExecutorLatency { get; set; } = new();

    /// <summary>From a record's send time to its prediction being applied to the statistics (end to end).</summary>
    [Id(8)] public LatencyBuckets EndToEndLatency { get; set; } = new();

    /// <summary>Batches run, by size.</summary>
    [Id(9)] public Dictionary<int, long> BatchSizes { get; set; } = [];
}
