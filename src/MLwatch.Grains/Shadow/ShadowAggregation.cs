using MLwatch.Abstractions.Shadow;

namespace MLwatch.Grains.Shadow;

/// <summary>The arithmetic of shadow comparisons: applying them exactly once, per window, and reading them back.</summary>
public static class ShadowAggregation
{
    /// <summary>
    /// Applies the comparisons of one delivery whose records were not applied already (see
    /// <see cref="Persistence.AppliedOffsets"/>) to the total and to the window of their time; windows beyond
    /// <paramref name="windowsKept"/> are dropped oldest first (the total keeps them). Returns whether the state changed.
    /// </summary>
    public static bool Apply(ShadowComparisonState state, ShadowComparisonBatch batch, TimeSpan window, int windowsKept) =>
        state.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Comparisons, c => c.Offset, c =>
        {
            Add(state.Total, c);
            Add(WindowOf(state, c.ObservedAtMs, (long)window.TotalMilliseconds, windowsKept), c);
        }).Changed;

    /// <summary>Reads the state as a snapshot.</summary>
    public static ShadowComparisonSnapshot ToSnapshot(ShadowComparisonKey key, ShadowComparisonState state) =>
        new(key, ToSnapshot(state.Total, null), [.. state.Windows.Select(w => ToSnapshot(w, DateTimeOffset.FromUnixTimeMilliseconds(w.StartMs)))]);

    private static void Add(ShadowTally tally, in ShadowComparison comparison)
    {
        tally.Compared++;
        tally.Agreed += comparison.ActiveLabel == comparison.CandidateLabel ? 1 : 0;
        // NaN would poison the persisted sum for good (as in label statistics): it counts as no difference.
        var difference = (double)comparison.CandidateConfidence - comparison.ActiveConfidence;
        tally.ConfidenceDifferenceSum += double.IsFinite(difference) ? difference : 0;
        if (comparison.TrueLabel >= 0)
        {
            tally.Labeled++;
            tally.ActiveCorrect += comparison.ActiveLabel == comparison.TrueLabel ? 1 : 0;
            tally.CandidateCorrect += comparison.CandidateLabel == comparison.TrueLabel ? 1 : 0;
        }

        if (tally.Confusion.Length <= comparison.ActiveLabel)
        {
            var rows = tally.Confusion;
            Array.Resize(ref rows, comparison.ActiveLabel + 1);
            tally.Confusion = rows;
        }

        var row = tally.Confusion[comparison.ActiveLabel] ?? [];
        if (row.Length <= comparison.CandidateLabel)
        {
            Array.Resize(ref row, comparison.CandidateLabel + 1);
        }

        row[comparison.CandidateLabel]++;
        tally.Confusion[comparison.ActiveLabel] = row;
    }

    private static ShadowTally WindowOf(ShadowComparisonState state, long observedAtMs, long windowMs, int windowsKept)
    {
        var start = observedAtMs - (observedAtMs % windowMs);
        var windows = state.Windows;
        // Comparisons arrive nearly in time order, so the matching window is almost always the last one.
        var index = windows.FindLastIndex(w => w.StartMs <= start);
        if (index >= 0 && windows[index].StartMs == start)
        {
            return windows[index];
        }

        var window = new ShadowTally { StartMs = start };
        windows.Insert(index + 1, window);
        if (windows.Count > windowsKept)
        {
            windows.RemoveRange(0, windows.Count - windowsKept);
        }

        return window;
    }

    private static ShadowWindowSnapshot ToSnapshot(ShadowTally tally, DateTimeOffset? start)
    {
        var width = tally.Confusion.Select(r => r?.Length ?? 0).DefaultIfEmpty(0).Max();
        var size = Math.Max(width, tally.Confusion.Length);
        long[][] confusion = [.. Enumerable.Range(0, size).Select(a =>
        {
            var cells = new long[size];
            if (a < tally.Confusion.Length && tally.Confusion[a] is { } row)
            {
                row.CopyTo(cells, 0);
            }

            return cells;
        })];
        return new ShadowWindowSnapshot(
            start,
            tally.Compared,
            tally.Agreed,
            tally.Compared == 0 ? 0 : tally.ConfidenceDifferenceSum / tally.Compared,
            tally.Labeled,
            tally.ActiveCorrect,
            tally.CandidateCorrect,
            confusion);
    }
}
