namespace MLwatch.Abstractions.Stats;

/// <summary>One prediction of a label, identified by the Kafka record it came from.</summary>
/// <param name="Partition">Kafka partition of the record.</param>
/// <param name="Offset">Kafka offset of the record.</param>
/// <param name="Confidence">Top-1 probability.</param>
/// <param name="ObservedAtMs">When it was predicted, Unix milliseconds.</param>
/// <param name="LatencyMs">From the record's sent-at time to prediction; null when neither mlwatch-sent-at nor the Kafka timestamp was a usable time.</param>
/// <param name="IsCorrect">Whether it matched the ground-truth header, when one was given.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.label-observation")]
public readonly record struct LabelObservation(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] float Confidence,
    [property: Id(3)] long ObservedAtMs,
    [property: Id(4)] float? LatencyMs,
    [property: Id(5)] bool? IsCorrect);
