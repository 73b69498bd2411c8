using System.Text.Json;
using MLwatch.Grains.Stats;
using MLwatch.Grains.Tests.Support;
using static MLwatch.Grains.Tests.Support.Observations;

namespace MLwatch.Grains.Tests.Stats;

/// <summary>A label's statistics count each record once, whatever the order and number of deliveries.</summary>
public sealed class LabelStatsExactlyOnceTests
{
    [Fact]
    public void Offset_zero_is_applied_on_a_fresh_partition_once()
    {
        var state = new LabelStatsState();

        Assert.Equal(1, Apply(state, [At(0)]));
        Assert.Equal(0, Apply(state, [At(0)]));
    }

    [Fact]
    public void Replaying_the_same_batch_changes_nothing()
    {
        var state = new LabelStatsState();
        var batch = Range(0, 9);
        Assert.Equal(10, Apply(state, batch));
        var before = Json(state);

        Assert.Equal(0, Apply(state, batch));

        Assert.Equal(before, Json(state));
    }

    [Fact]
    public void Replaying_an_older_range_changes_nothing()
    {
        var state = new LabelStatsState();
        Apply(state, Range(0, 19));
        var before = Json(state);

        Assert.Equal(0, Apply(state, Range(5, 12)));

        Assert.Equal(before, Json(state));
        Assert.Equal(20, state.Count);
    }

    [Fact]
    public void Partitions_and_topics_are_independent()
    {
        var state = new LabelStatsState();
        Apply(state, Range(0, 9));

        Assert.Equal(5, Apply(state, Range(0, 4, partition: 1)));
        Assert.Equal(5, Apply(state, Range(0, 4), topic: "other"));
        Assert.Equal(0, Apply(state, Range(0, 4, partition: 1)));
        Assert.Equal(20, state.Count);
    }

    [Fact]
    public void An_older_delivery_arriving_after_a_newer_one_is_still_applied()
    {
        // Deliveries to a stateless-worker pool can complete out of order: 10..19 reaches the grain before 0..9.
        var state = new LabelStatsState();
        Assert.Equal(10, Apply(state, Range(10, 19)));

        Assert.Equal(10, Apply(state, Range(0, 9)));
        Assert.Equal(0, Apply(state, Range(0, 19)));

        Assert.Equal(20, state.Count);
        Assert.Equal(Json(Reordered(Applied(Range(0, 19)))), Json(Reordered(state)));
    }

    [Fact]
    public void A_record_before_a_later_delivery_is_not_mistaken_for_applied()
    {
        // The grain saw offset 7 of delivery 6..9; offset 5 belongs to delivery 0..5 that had not arrived.
        var state = new LabelStatsState();
        Apply(state, [At(7)], first: 6, last: 9);

        Assert.Equal(1, Apply(state, [At(5)], first: 0, last: 5));
        Assert.Equal(2, state.Count);
    }

    [Fact]
    public void Offsets_of_a_delivery_meant_for_other_labels_are_covered_by_its_range()
    {
        // Delivery 0..63 held this label's offsets 3 and 40 only; the whole range is applied for this grain.
        var state = new LabelStatsState();
        Apply(state, [At(3), At(40)], first: 0, last: 63);

        Assert.Equal([new(0, 63)], state.Applied.Partitions[$"{Topic}/0"]);
        Assert.Equal(0, Apply(state, [At(40)], first: 0, last: 63));
    }

    [Fact]
    public void Records_lost_with_an_activation_are_applied_once_when_replayed()
    {
        // Persisted: 0..99. The activation that applied 100..199 died before its flush. The next delivery, 200..299,
        // reactivates the grain from the persisted copy; a bare mark would now be 299 and skip the replay of 100..199.
        var persisted = new LabelStatsState();
        Apply(persisted, Range(0, 99));
        var lost = StoredState.Reload(persisted);
        Apply(lost, Range(100, 199));

        var reactivated = StoredState.Reload(persisted);
        Assert.Equal(100, Apply(reactivated, Range(200, 299)));

        // The partition rewinds to its last commit (100) and replays everything from there.
        Assert.Equal(100, Apply(reactivated, Range(100, 299)));

        Assert.Equal(300, reactivated.Count);
        Assert.Equal([new(0, 299)], reactivated.Applied.Partitions[$"{Topic}/0"]);
        Assert.Equal(Json(Reordered(Applied(Range(0, 299)))), Json(Reordered(reactivated)));
    }

    [Fact]
    public void The_committed_offset_compacts_the_gaps_below_it()
    {
        var state = new LabelStatsState();
        Apply(state, [At(3)], first: 0, last: 9);
        Apply(state, [At(33)], first: 30, last: 39);
        Apply(state, [At(63)], first: 60, last: 69);
        Assert.Equal(3, state.Applied.Partitions[$"{Topic}/0"].Count);

        Apply(state, [At(93)], first: 90, last: 99, committedBefore: 70);

        Assert.Equal([new(0, 69), new(90, 99)], state.Applied.Partitions[$"{Topic}/0"]);
        Assert.Equal(4, state.Count);
    }

    [Fact]
    public void At_least_once_delivery_gives_the_same_state_as_exactly_once()
    {
        // Each record once, in the order the replayed run first sees it (floating-point sums depend on the order).
        var once = new LabelStatsState();
        Apply(once, Range(0, 9));
        Apply(once, Range(0, 4, partition: 1));
        Apply(once, Range(10, 19));
        Apply(once, Range(5, 14, partition: 1));
        Apply(once, Range(20, 29));

        // Redelivery after a crash replays from the last commit; retries resend whole batches; partitions interleave.
        var replayed = new LabelStatsState();
        Apply(replayed, Range(0, 9));
        Apply(replayed, Range(0, 4, partition: 1));
        Apply(replayed, Range(0, 9));
        Apply(replayed, Range(10, 19));
        Apply(replayed, Range(0, 4, partition: 1));
        Apply(replayed, Range(5, 14, partition: 1));
        Apply(replayed, Range(5, 24));
        Apply(replayed, Range(10, 19));
        Apply(replayed, Range(25, 29));
        Apply(replayed, Range(0, 29));
        Apply(replayed, Range(3, 14, partition: 1));

        Assert.Equal(Json(once), Json(replayed));
        Assert.Equal(45, replayed.Count);
    }

    private static string Json(LabelStatsState state) => JsonSerializer.Serialize(state);

    /// <summary>The state without what depends on application order (floating-point sums), for comparing counts.</summary>
    private static LabelStatsState Reordered(LabelStatsState state)
    {
        var copy = StoredState.Reload(state);
        copy.ConfidenceSum = Math.Round(copy.ConfidenceSum, 6);
        copy.ConfidenceSumOfSquares = Math.Round(copy.ConfidenceSumOfSquares, 6);
        copy.LatencySumMs = Math.Round(copy.LatencySumMs, 3);
        foreach (var minute in copy.Minutes)
        {
            minute.ConfidenceSum = Math.Round(minute.ConfidenceSum, 6);
        }

        return copy;
    }
}
