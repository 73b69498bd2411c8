namespace MLwatch.Abstractions.Monitoring;

/// <summary>
/// Predictions of one model version from one delivery of one partition, with the range of offsets that delivery covered
/// (see <see cref="Stats.LabelObservationBatch"/>).
/// </summary>
/// <param name="Topic">Kafka topic of the records.</param>
/// <param name="Predictions">This model's predictions, each identified by its record.</param>
/// <param name="Partition">Kafka partition of every record of the delivery.</param>
/// <param name="FirstOffset">First offset of the delivery.</param>
/// <param name="LastOffset">Last offset of the delivery; every record between the two was part of it.</param>
/// <param name="CommittedBefore">The partition's committed offset when it was delivered (0 when unknown).</param>
/// <param name="RefusedOffsets">Offsets of the delivery's records this version failed on (its errors, see <see cref="DriftWindowReport.RefusedCount"/>).</param>
/// <param name="RefusedAtMs">Unix milliseconds when the version failed on them.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.model-prediction-batch")]
public sealed record ModelPredictionBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] ModelPrediction[] Predictions,
    [property: Id(2)] int Partition,
    [property: Id(3)] long FirstOffset,
    [property: Id(4)] long LastOffset,
    [property: Id(5)] long CommittedBefore,
    [property: Id(6)] long[]? RefusedOffsets = null,
    [property: Id(7)] long RefusedAtMs = 0);
