namespace MLwatch.Abstractions.Stats;

/// <summary>Predictions of one label from one topic, in offset order per partition.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.label-observation-batch")]
public sealed record LabelObservationBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] LabelObservation[] Observations);
