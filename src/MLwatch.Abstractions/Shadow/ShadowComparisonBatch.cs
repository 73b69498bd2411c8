namespace MLwatch.Abstractions.Shadow;

/// <summary>
/// The comparisons of one delivery of one partition, with the range of offsets that delivery covered (as
/// <see cref="Stats.LabelObservationBatch"/>): each comparison whose offset was not applied yet is applied, then the
/// whole range is recorded as applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("mlwatch.shadow-comparison-batch")]
public sealed record ShadowComparisonBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] ShadowComparison[] Comparisons,
    [property: Id(2)] int Partition,
    [property: Id(3)] long FirstOffset,
    [property: Id(4)] long LastOffset,
    [property: Id(5)] long CommittedBefore);
