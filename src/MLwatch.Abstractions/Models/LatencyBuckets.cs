namespace MLwatch.Abstractions.Models;

/// <summary>
/// The non-empty buckets of a latency histogram (HdrHistogram, 1 µs to 1 h, 3 significant digits, the same on every
/// silo): each bucket's highest value in microseconds and its count, in ascending order.
/// </summary>
[GenerateSerializer, Alias("mlwatch.latency-buckets")]
public sealed class LatencyBuckets
{
    /// <summary>Each bucket's highest value, in µs.</summary>
    [Id(0)] public long[] Microseconds { get; set; } = [];

    /// <summary>Records in each bucket.</summary>
    [Id(1)] public long[] Counts { get; set; } = [];
}
