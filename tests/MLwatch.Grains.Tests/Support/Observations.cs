using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Stats;

namespace MLwatch.Grains.Tests.Support;

/// <summary>Builds label observations and applies them the way <see cref="LabelStatsGrain"/> does.</summary>
internal static class Observations
{
    public const string Topic = "mlwatch.requests";

    /// <summary>2024-01-01T00:00:00Z in Unix minutes: a fixed, whole-minute origin for minute buckets.</summary>
    public const long OriginMinute = 28_401_120;

    public static LabelObservation At(
        long offset,
        float confidence = 0.5f,
        int partition = 0,
        long minute = OriginMinute,
        float? latencyMs = 0,
        bool? isCorrect = null) =>
        new(partition, offset, confidence, (minute * 60_000) + 1_000, latencyMs, isCorrect);

    /// <summary>Observations of offsets <paramref name="first"/>..<paramref name="last"/> with confidences that vary with the offset.</summary>
    public static LabelObservation[] Range(long first, long last, int partition = 0) =>
        [.. Enumerable.Range(0, (int)(last - first + 1)).Select(i => At(
            first + i,
            confidence: ((first + i) % 20) / 19f,
            partition: partition,
            minute: OriginMinute + ((first + i) % 3),
            latencyMs: first + i,
            isCorrect: (first + i) % 4 == 0 ? null : (first + i) % 3 == 0))];

    /// <summary>
    /// Applies observations the way the inference grains deliver them: per partition, one batch whose range spans from
    /// the first to the last offset given (or <paramref name="first"/>..<paramref name="last"/>). Returns how many were applied.
    /// </summary>
    public static int Apply(LabelStatsState state, IEnumerable<LabelObservation> observations, string topic = Topic, long? first = null, long? last = null, long committedBefore = 0) =>
        observations.GroupBy(o => o.Partition).Sum(group => LabelStatsAggregation.Apply(
            state,
            Batch([.. group], topic, first, last, committedBefore)).Applied);

    /// <summary>One delivery of one partition, its range spanning <paramref name="observations"/> unless given.</summary>
    public static LabelObservationBatch Batch(LabelObservation[] observations, string topic = Topic, long? first = null, long? last = null, long committedBefore = 0, int? partition = null) =>
        new(
            topic,
            observations,
            partition ?? observations[0].Partition,
            first ?? observations.Min(o => o.Offset),
            last ?? observations.Max(o => o.Offset),
            committedBefore);

    public static LabelStatsState Applied(IEnumerable<LabelObservation> observations)
    {
        var state = new LabelStatsState();
        Apply(state, observations);
        return state;
    }
}
