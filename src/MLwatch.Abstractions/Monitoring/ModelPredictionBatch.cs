namespace MLwatch.Abstractions.Monitoring;

/// <summary>Predictions of one model version from one delivery of one topic, in offset order per partition.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.model-prediction-batch")]
public sealed record ModelPredictionBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] ModelPrediction[] Predictions);
