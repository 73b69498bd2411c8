using Bunit;
using MLwatch.Abstractions.Stats;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Tests.Support;
using MLwatch.Query;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class OverviewPageTests
{
    [Fact]
    public async Task Shows_totals_dead_letters_latency_models_and_silos()
    {
        var latency = new long[LatencyHistogram.Bins];
        latency[LatencyHistogram.BinOf(10)] = 99;
        latency[LatencyHistogram.BinOf(2_000)] = 1;
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 600, 0.9), ("Coat", 400, 0.8));
        stats.Set(FakeStats.Snapshot("fashion-mnist", "Bag", 600, 0.9, latency: latency));
        stats.DeadLetters["undecodable"] = 3;
        stats.DeadLetters["too-large"] = 2;
        stats.Silos.Add(new SiloSummary("S127.0.0.1:11111:1", "silo-a", "Active", ["mlwatch.requests/0", "mlwatch.requests/1"], new DateTimeOffset(2026, 11, 26, 12, 0, 5, TimeSpan.Zero), IsThisSilo: true));
        stats.Silos.Add(new SiloSummary("S127.0.0.1:11112:2", "silo-b", "Active", ["mlwatch.requests/2", "mlwatch.requests/3"]));
        await using var context = new DashboardTestContext(stats);

        var page = context.Render<Overview>();

        Assert.Equal("1,000", page.Find("[data-testid=total-predictions]").TextContent);
        Assert.Equal("5", page.Find("[data-testid=dead-lettered]").TextContent);
        Assert.Matches(@"^\d+(\.\d)? ms / [\d,.]+ (ms|s)$", page.Find("[data-testid=latency]").TextContent);
        Assert.Contains("1,000", page.Find("[data-testid=model-predictions]").TextContent, StringComparison.Ordinal);
        var silos = page.Find("[data-testid=silos]").TextContent;
        Assert.Contains("silo-a", silos, StringComparison.Ordinal);
        Assert.Contains("mlwatch.requests/0, mlwatch.requests/1", silos, StringComparison.Ordinal);
        Assert.Contains("silo-a (this one)", silos, StringComparison.Ordinal);
        Assert.Contains("2026-11-26 12:00:05", silos, StringComparison.Ordinal);
        Assert.Contains("mlwatch.requests/2, mlwatch.requests/3", silos, StringComparison.Ordinal);
        Assert.DoesNotContain("silo-b (this one)", silos, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public async Task Shows_each_partitions_offsets_lag_and_state_and_warns_of_a_stalled_one()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 10, 0.9));
        var stalledSince = new DateTimeOffset(2026, 12, 1, 12, 0, 30, TimeSpan.Zero);
        stats.Silos.Add(new SiloSummary("S127.0.0.1:11111:1", "silo-a", "Active", ["mlwatch.requests/0", "mlwatch.requests/1"], PartitionStatus:
        [
            Status(0, end: 120, committed: 120, delivered: 119, lag: 0, KafkaBacklogStage.None),
            Status(1, end: 500, committed: 80, delivered: 99, lag: 400, KafkaBacklogStage.DeliveryFailing, stalledSince) with
            {
                InFlightRecords = 64,
                DeliveryFailures = new DeliveryFailureRun(7, stalledSince.AddSeconds(-30), "TimeoutException: storage"),
            },
        ]));
        stats.Silos.Add(new SiloSummary("S127.0.0.1:11112:2", "silo-b", "Active", [], PartitionsKnown: false));
        await using var context = new DashboardTestContext(stats);

        var page = context.Render<Overview>();

        var rows = page.FindAll("[data-testid=partition-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("mlwatch.requests/0", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("idle", page.FindAll("[data-testid=partition-state]")[0].TextContent.Trim());
        Assert.Contains("400", rows[1].TextContent, StringComparison.Ordinal);
        Assert.StartsWith("stalled", page.FindAll("[data-testid=partition-state]")[1].TextContent.Trim(), StringComparison.Ordinal);
        var alert = page.Find("[data-testid=stalled-partition]").TextContent;
        Assert.Contains("mlwatch.requests/1 on silo-a is stalled since 12:00:30", alert, StringComparison.Ordinal);
        Assert.Contains("failed 7 times in a row (last: TimeoutException: storage)", alert, StringComparison.Ordinal);
        Assert.Contains("unknown: the silo does not answer", page.Find("[data-testid=silos]").TextContent, StringComparison.Ordinal);
    }

    private static KafkaPartitionStatus Status(int partition, long end, long committed, long delivered, long lag, KafkaBacklogStage waiting, DateTimeOffset? stalledSince = null) =>
        new("mlwatch.requests", partition, 0, end, committed, delivered, delivered, lag, 0, 0, 0, 0, null, null, 0, stalledSince is not null, stalledSince, waiting, null);

    [Fact]
    public async Task Without_predictions_it_says_how_to_produce_some()
    {
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 0, 0)));

        var page = context.Render<Overview>();

        Assert.Contains("mlwatch produce --bootstrap", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal);
        Assert.Equal("0", page.Find("[data-testid=total-predictions]").TextContent);
        Assert.Equal("–", page.Find("[data-testid=latency]").TextContent.Split(" / ")[0]);
    }

    [Fact]
    public async Task Interactive_pages_refresh_on_their_timer_and_the_rate_follows_the_totals()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 0, 0));
        await using var context = new DashboardTestContext(stats, interactive: true, refreshInterval: TimeSpan.FromMilliseconds(100));
        var page = context.Render<Overview>();

        stats.Set(FakeStats.Snapshot("fashion-mnist", "Bag", 500, 0.9));

        page.WaitForAssertion(() => Assert.Equal("500", page.Find("[data-testid=total-predictions]").TextContent), TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.NotEqual("0.0", page.Find("[data-testid=rate]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Leaving_the_page_stops_its_timer()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 1, 0.5));
        await using var context = new DashboardTestContext(stats, interactive: true, refreshInterval: TimeSpan.FromMilliseconds(50));
        var page = context.Render<Overview>();
        page.WaitForAssertion(() => Assert.True(stats.LabelReads >= 3), TimeSpan.FromSeconds(10));

        await page.Instance.DisposeAsync();
        var reads = stats.LabelReads;
        await Task.Delay(300);

        Assert.Equal(reads, stats.LabelReads);
    }
}
