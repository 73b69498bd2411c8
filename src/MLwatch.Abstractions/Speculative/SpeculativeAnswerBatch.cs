namespace MLwatch.Abstractions.Speculative;

/// <summary>
/// The records of one delivery that one version answered, with the range of offsets the delivery covered (as
/// <see cref="Stats.LabelObservationBatch"/>).
/// </summary>
/// <param name="Topic">Kafka topic of the records.</param>
/// <param name="AnsweredBy">"{model}@{version}" that answered.</param>
/// <param name="IsFallback">Whether that was the fallback.</param>
/// <param name="Offsets">Offsets of the records it answered.</param>
/// <param name="Partition">Kafka partition of the delivery.</param>
/// <param name="FirstOffset">First offset of the delivery.</param>
/// <param name="LastOffset">Last offset of the delivery.</param>
/// <param name="CommittedBefore">The partition's committed offset when it was delivered.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.speculative-answer-batch")]
public sealed record SpeculativeAnswerBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] string AnsweredBy,
    [property: Id(2)] bool IsFallback,
    [property: Id(3)] long[] Offsets,
    [property: Id(4)] int Partition,
    [property: Id(5)] long FirstOffset,
    [property: Id(6)] long LastOffset,
    [property: Id(7)] long CommittedBefore);
