using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Stats;

/// <summary>The arithmetic of label statistics: applying predictions and reading them back.</summary>
public static class LabelStatsAggregation
{
    /// <summary>How long per-minute buckets are kept.</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromHours(24);

    /// <summary>
    /// Applies the predictions of one delivery whose records were not applied already (see <see cref="AppliedOffsets"/>);
    /// returns how many were applied and whether the state changed.
    /// </summary>
    public static (int Applied, bool Changed) Apply(LabelStatsState state, LabelObservationBatch batch) =>
        state.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Observations, o => o.Offset, o => Add(state, o));

    /// <summary>Adds one prediction to the statistics, whether or not its record was applied before.</summary>
    public static void Add(LabelStatsState state, in LabelObservation observation)
    {
        // NaN (a model emitting NaN scores) would poison the persisted sums for good: count it as no confidence.
        double confidence = float.IsNaN(observation.Confidence) ? 0 : Math.Clamp(observation.Confidence, 0f, 1f);
        state.MinConfidence = state.Count == 0 ? confidence : Math.Min(state.MinConfidence, confidence);
        state.MaxConfidence = state.Count == 0 ? confidence : Math.Max(state.MaxConfidence, confidence);
        state.Count++;
        state.ConfidenceSum += confidence;
        state.ConfidenceSumOfSquares += confidence * confidence;
        state.Histogram[HistogramBin(confidence)]++;
        if (observation.LatencyMs is { } latency && float.IsFinite(latency))
        {
            state.LatencySumMs += Math.Max(0, latency);
            AddLatency(state, latency);
        }
        else
        {
            state.LatencyUnrecordedCount++;
        }

        state.LastSeenMs = Math.Max(state.LastSeenMs ?? 0, observation.ObservedAtMs);
        if (observation.IsCorrect is { } correct)
        {
            state.LabeledCount++;
            state.CorrectCount += correct ? 1 : 0;
        }

        AddToMinute(state, observation.ObservedAtMs / 60_000, confidence);
    }

    /// <summary>The histogram bin of a confidence in [0, 1]; 1.0 falls in the last bin.</summary>
    public static int HistogramBin(double confidence) =>
        Math.Min((int)(confidence / LabelStatsState.HistogramBinWidth), LabelStatsState.HistogramBins - 1);

    /// <summary>Reads the state as a snapshot.</summary>
    public static LabelStatsSnapshot ToSnapshot(LabelStatsKey key, LabelStatsState state)
    {
        var count = state.Count;
        var mean = count == 0 ? 0 : state.ConfidenceSum / count;
        var variance = count < 2 ? 0 : Math.Max(0, (state.ConfidenceSumOfSquares - count * mean * mean) / (count - 1));
        var withLatency = count - state.LatencyUnrecordedCount;
        return new LabelStatsSnapshot(
            key.Model,
            key.Version,
            key.Label,
            count,
            mean,
            Math.Sqrt(variance),
            count == 0 ? 0 : state.MinConfidence,
            count == 0 ? 0 : state.MaxConfidence,
            [.. state.Histogram],
            state.LastSeenMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            state.LabeledCount,
            state.CorrectCount,
            withLatency <= 0 ? 0 : state.LatencySumMs / withLatency,
            [.. state.Minutes.Select(m => new MinuteBucket(
                DateTimeOffset.FromUnixTimeMilliseconds(m.Minute * 60_000),
                m.Count,
                m.Count == 0 ? 0 : m.ConfidenceSum / m.Count))])
        {
            LatencyHistogram = [.. state.LatencyHistogram],
        };
    }

    private static void AddLatency(LabelStatsState state, float latencyMs)
    {
        if (state.LatencyHistogram.Length != LatencyHistogram.Bins)
        {
            var histogram = state.LatencyHistogram;
            Array.Resize(ref histogram, LatencyHistogram.Bins);
            state.LatencyHistogram = histogram;
        }

        state.LatencyHistogram[LatencyHistogram.BinOf(latencyMs)]++;
    }

    private static void AddToMinute(LabelStatsState state, long minute, double confidence)
    {
        var minutes = state.Minutes;
        // Observations arrive nearly in time order, so the matching bucket is almost always the last one.
        var index = minutes.FindLastIndex(m => m.Minute <= minute);
        if (index >= 0 && minutes[index].Minute == minute)
        {
            minutes[index].Count++;
            minutes[index].ConfidenceSum += confidence;
        }
        else
        {
            minutes.Insert(index + 1, new MinuteCounter { Minute = minute, Count = 1, ConfidenceSum = confidence });
        }

        var oldest = minutes[^1].Minute - (long)MinuteRetention.TotalMinutes;
        var expired = minutes.FindIndex(m => m.Minute > oldest);
        if (expired > 0)
        {
            minutes.RemoveRange(0, expired);
        }
    }
}
