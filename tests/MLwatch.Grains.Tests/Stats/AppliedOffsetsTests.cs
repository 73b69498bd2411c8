using System.Text.Json;
using MLwatch.Grains.Stats;
using static MLwatch.Grains.Tests.Support.Observations;

namespace MLwatch.Grains.Tests.Stats;

public sealed class AppliedOffsetsTests
{
    [Fact]
    public void First_offset_of_a_partition_is_applied_and_becomes_the_mark()
    {
        var marks = new Dictionary<string, long>();

        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 0, 41));

        Assert.Equal(41, marks["t/0"]);
    }

    [Fact]
    public void Offset_zero_is_applied_on_a_fresh_partition()
    {
        var marks = new Dictionary<string, long>();

        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 0, 0));
        Assert.False(AppliedOffsets.TryAdvance(marks, "t", 0, 0));
    }

    [Fact]
    public void Replays_at_or_below_the_mark_are_ignored()
    {
        var marks = new Dictionary<string, long>();
        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 0, 10));

        Assert.False(AppliedOffsets.TryAdvance(marks, "t", 0, 10));
        Assert.False(AppliedOffsets.TryAdvance(marks, "t", 0, 3));
        Assert.Equal(10, marks["t/0"]);
        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 0, 11));
    }

    [Fact]
    public void Partitions_and_topics_have_independent_marks()
    {
        var marks = new Dictionary<string, long>();
        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 0, 100));

        Assert.True(AppliedOffsets.TryAdvance(marks, "t", 1, 5));
        Assert.True(AppliedOffsets.TryAdvance(marks, "u", 0, 5));
        Assert.False(AppliedOffsets.TryAdvance(marks, "t", 1, 5));

        Assert.Equal(new Dictionary<string, long> { ["t/0"] = 100, ["t/1"] = 5, ["u/0"] = 5 }, marks);
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
    public void A_retried_batch_arriving_after_newer_ones_is_ignored_without_changing_counts()
    {
        // Attempt 1 of batch 0..4 times out, its retry applies, batch 5..9 follows, then attempt 1 finally arrives.
        var state = new LabelStatsState();
        Apply(state, Range(0, 4));
        Apply(state, Range(5, 9));
        var before = Json(state);

        Assert.Equal(0, Apply(state, Range(0, 4)));

        Assert.Equal(before, Json(state));
        Assert.Equal(10, state.Count);
        Assert.Equal(9, state.AppliedThrough[$"{Topic}/0"]);
    }

    [Fact]
    public void Marks_rely_on_sequential_delivery_per_partition()
    {
        // The documented design: a partition's records reach a label grain in offset order, so anything at or below the
        // mark was applied. An offset below the mark that was never seen is therefore treated as applied. If delivery
        // per partition ever stops being sequential, this test must change together with AppliedOffsets.
        var state = new LabelStatsState();
        Apply(state, [At(7)]);

        Assert.Equal(0, Apply(state, [At(5)]));
        Assert.Equal(1, state.Count);
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
}
