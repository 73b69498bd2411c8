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
        float latencyMs = 0,
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

    /// <summary>Applies every observation of one delivery; returns how many changed the state.</summary>
    public static int Apply(LabelStatsState state, IEnumerable<LabelObservation> observations, string topic = Topic) =>
        observations.Count(o => LabelStatsAggregation.Apply(state, topic, o));

    public static LabelStatsState Applied(IEnumerable<LabelObservation> observations)
    {
        var state = new LabelStatsState();
        Apply(state, observations);
        return state;
    }
}
