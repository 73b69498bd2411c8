namespace MLwatch.Abstractions.Monitoring;

/// <summary>One prediction as the model monitor sees it, identified by the Kafka record it came from.</summary>
/// <param name="Partition">Kafka partition of the request.</param>
/// <param name="Offset">Kafka offset of the request.</param>
/// <param name="RequestId">The request id (record key, else "{topic}/{partition}/{offset}"), which feedback refers to.</param>
/// <param name="LabelIndex">Predicted label, as an index into the model's labels.</param>
/// <param name="Confidence">Calibrated top-1 probability.</param>
/// <param name="ObservedAtMs">When it was predicted, Unix milliseconds.</param>
/// <param name="TrueLabelIndex">Ground truth from the request's header; -1 when not given.</param>
/// <param name="LatencyMs">From the request's send time to the prediction, milliseconds; NaN when the send time is unknown.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.model-prediction")]
public readonly record struct ModelPrediction(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string RequestId,
    [property: Id(3)] int LabelIndex,
    [property: Id(4)] float Confidence,
    [property: Id(5)] long ObservedAtMs,
    [property: Id(6)] int TrueLabelIndex,
    [property: Id(7)] float LatencyMs = float.NaN);
