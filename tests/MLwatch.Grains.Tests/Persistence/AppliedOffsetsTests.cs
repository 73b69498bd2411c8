using MLwatch.Grains.Persistence;
using MLwatch.Grains.Stats;
using MLwatch.Grains.Tests.Support;

namespace MLwatch.Grains.Tests.Persistence;

public sealed class AppliedOffsetsTests
{
    [Fact]
    public void Adding_merges_overlapping_and_adjacent_intervals_and_keeps_gaps()
    {
        var intervals = new List<OffsetInterval>();

        Assert.True(AppliedOffsets.Add(intervals, 10, 19));
        Assert.True(AppliedOffsets.Add(intervals, 30, 39));
        Assert.True(AppliedOffsets.Add(intervals, 0, 4));
        Assert.Equal([new(0, 4), new(10, 19), new(30, 39)], intervals);

        Assert.True(AppliedOffsets.Add(intervals, 20, 24));
        Assert.Equal([new(0, 4), new(10, 24), new(30, 39)], intervals);

        Assert.True(AppliedOffsets.Add(intervals, 5, 9));
        Assert.Equal([new(0, 24), new(30, 39)], intervals);

        Assert.True(AppliedOffsets.Add(intervals, 22, 45));
        Assert.Equal([new(0, 45)], intervals);
    }

    [Fact]
    public void Missing_offsets_of_a_range_are_those_in_no_interval()
    {
        List<OffsetInterval> intervals = [new(0, 4), new(10, 19), new(30, 39)];

        Assert.Equal(0, AppliedOffsets.CountMissing(intervals, 0, 4));
        Assert.Equal(5, AppliedOffsets.CountMissing(intervals, 5, 9));
        Assert.Equal(5 + 10, AppliedOffsets.CountMissing(intervals, 3, 29));
        Assert.Equal(5 + 10 + 60, AppliedOffsets.CountMissing(intervals, 0, 99));
        Assert.Equal(1, AppliedOffsets.CountMissing([], 7, 7));
    }

    [Fact]
    public void Adding_what_is_covered_changes_nothing()
    {
        var intervals = new List<OffsetInterval> { new(0, 9), new(20, 29) };

        Assert.False(AppliedOffsets.Add(intervals, 3, 7));
        Assert.False(AppliedOffsets.Add(intervals, 20, 29));
        Assert.False(AppliedOffsets.Add(intervals, 9, 9));

        Assert.Equal([new(0, 9), new(20, 29)], intervals);
    }

    [Fact]
    public void One_interval_can_swallow_several()
    {
        var intervals = new List<OffsetInterval> { new(0, 1), new(5, 6), new(10, 11), new(15, 16), new(30, 31) };

        Assert.True(AppliedOffsets.Add(intervals, 4, 17));

        Assert.Equal([new(0, 1), new(4, 17), new(30, 31)], intervals);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(9, true)]
    [InlineData(10, false)]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(20_000, true)]
    [InlineData(20_001, false)]
    public void Membership_is_exact_at_interval_bounds(long offset, bool applied)
    {
        var intervals = new List<OffsetInterval> { new(5, 9), new(20, 20_000) };

        Assert.Equal(applied, AppliedOffsets.Contains(intervals, offset));
    }

    [Fact]
    public void Compaction_covers_everything_below_the_committed_offset()
    {
        var intervals = new List<OffsetInterval> { new(10, 19), new(40, 49), new(60, 69), new(100, 109) };

        Assert.True(AppliedOffsets.Compact(intervals, 45));
        Assert.Equal([new(0, 49), new(60, 69), new(100, 109)], intervals);

        Assert.False(AppliedOffsets.Compact(intervals, 50));
        Assert.True(AppliedOffsets.Compact(intervals, 60));
        Assert.Equal([new(0, 69), new(100, 109)], intervals);

        Assert.False(AppliedOffsets.Compact(intervals, 0));
        Assert.Equal([new(0, 69), new(100, 109)], intervals);
    }

    [Fact]
    public void A_partition_reached_only_by_sparse_deliveries_stays_small_as_commits_advance()
    {
        // One record in ten deliveries reaches the grain: every delivery it gets leaves a gap before it, 100,000 of them.
        var applied = new AppliedOffsets();
        const int RecordsPerDelivery = 64;
        var committed = 0L;
        var largest = 0;
        for (var delivery = 0L; delivery < 1_000_000; delivery += 10)
        {
            var first = delivery * RecordsPerDelivery;
            var last = first + RecordsPerDelivery - 1;
            if (delivery % 1_000 == 0)
            {
                // A checkpoint commits what was delivered up to a moment ago.
                committed = Math.Max(0, first - (50 * RecordsPerDelivery));
            }

            var result = applied.Apply("t", 0, first, last, committed, [first + 3], o => o, _ => { });
            Assert.Equal(1, result.Applied);
            largest = Math.Max(largest, applied.Partitions["t/0"].Count);
        }

        Assert.True(largest <= 110, $"{largest} intervals");
        var head = applied.Partitions["t/0"][0];
        Assert.True(head.From == 0 && head.To >= committed - 1, $"first interval {head}, committed {committed}");
    }

    [Fact]
    public void Apply_refuses_an_item_outside_its_delivery_before_changing_anything()
    {
        var applied = new AppliedOffsets();
        var calls = 0;

        Assert.Throws<ArgumentOutOfRangeException>(() => applied.Apply("t", 0, 10, 19, 0, [12L, 25L], o => o, _ => calls++));

        Assert.False(applied.Contains("t", 0, 12));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void A_row_written_with_high_water_marks_loads_them_as_intervals_from_zero()
    {
        const string Legacy = """
            {"count":3,"confidenceSum":1.5,"histogram":[0,0,0,0,0,0,0,0,0,0,3,0,0,0,0,0,0,0,0,0],
             "appliedThrough":{"mlwatch.requests/0":41,"mlwatch.requests/3":7},"closedIncarnations":[]}
            """;

        var state = StoredState.Read<LabelStatsState>(Legacy);

        Assert.Null(state.AppliedThrough);
        Assert.Equal([new(0, 41)], state.Applied.Partitions["mlwatch.requests/0"]);
        Assert.Equal([new(0, 7)], state.Applied.Partitions["mlwatch.requests/3"]);
        Assert.Equal(3, state.Count);
        Assert.DoesNotContain("appliedThrough", StoredState.Write(state), StringComparison.Ordinal);
        Assert.Equal(0, Observations.Apply(state, [Observations.At(41)]));
        Assert.Equal(1, Observations.Apply(state, [Observations.At(42)]));
    }

    [Fact]
    public void Intervals_survive_storage()
    {
        var state = new LabelStatsState();
        Observations.Apply(state, [Observations.At(5)], first: 0, last: 9);
        Observations.Apply(state, [Observations.At(25)], first: 20, last: 29);

        var reloaded = StoredState.Reload(state);

        Assert.Equal([new(0, 9), new(20, 29)], reloaded.Applied.Partitions[$"{Observations.Topic}/0"]);
    }
}
