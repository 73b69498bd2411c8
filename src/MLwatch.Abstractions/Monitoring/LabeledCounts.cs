namespace MLwatch.Abstractions.Monitoring;

/// <summary>Predictions whose true label is known (from the record's mlwatch-label header or the feedback topic, however late), and the correct ones.</summary>
/// <param name="Labeled">Predictions whose true label is known.</param>
/// <param name="Correct">Of those, the ones that predicted it.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.labeled-counts")]
public readonly record struct LabeledCounts(
    [property: Id(0)] long Labeled,
    [property: Id(1)] long Correct);
