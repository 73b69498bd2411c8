namespace MLwatch.Abstractions.Monitoring;

/// <summary>A ground-truth label that arrived after (or before) its prediction, from the feedback topic.</summary>
/// <param name="Partition">Kafka partition of the feedback record.</param>
/// <param name="Offset">Kafka offset of the feedback record.</param>
/// <param name="RequestId">The request the label belongs to (the feedback record's key).</param>
/// <param name="TrueLabelIndex">The true label, as an index into the model's labels.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.label-feedback")]
public readonly record struct LabelFeedback(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string RequestId,
    [property: Id(3)] int TrueLabelIndex);
