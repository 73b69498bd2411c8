namespace MLwatch.Abstractions.Models;

/// <summary>
/// A model version's serving statistics over every silo that served it (those running and those gone): the sum of
/// their latest snapshots, with percentiles read from the merged histograms (within 0.1 % above the true value).
/// Latencies in ms; all zero before the first record.
/// </summary>
[GenerateSerializer, Immutable, Alias("mlwatch.model-serving-stats")]
public sealed record ModelServingStats(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] long Records,
    [property: Id(4)] long Errors,
    [property: Id(5)] double TotalMs,
    [property: Id(6)] double MinMs,
    [property: Id(7)] double MaxMs,
    [property: Id(8)] double MeanMs,
    [property: Id(9)] double P50Ms,
    [property: Id(10)] double P95Ms,
    [property: Id(11)] double P99Ms,
    [property: Id(12)] double EndToEndP50Ms,
    [property: Id(13)] double EndToEndP95Ms,
    [property: Id(14)] double EndToEndP99Ms,
    [property: Id(15)] long Batches,
    [property: Id(16)] double BatchSizeMean,
    [property: Id(17)] IReadOnlyDictionary<int, long> BatchSizes,
    [property: Id(18)] IReadOnlyDictionary<string, SiloServingCounts> PerSilo);
