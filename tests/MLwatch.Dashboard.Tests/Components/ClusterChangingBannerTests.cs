using System.Reflection;
using Bunit;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Tests.Support;
using Orleans.Runtime;

namespace MLwatch.Dashboard.Tests.Components;

/// <summary>
/// A refresh that fails because the cluster is changing (a silo dying or hung) keeps the last values under a banner
/// saying when they were read, instead of an error; the next good refresh hides it. Other failures stay errors.
/// </summary>
public sealed class ClusterChangingBannerTests
{
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_transient_failure_shows_the_banner_over_the_last_values_and_the_next_good_refresh_hides_it()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero));
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 500, 0.9));
        await using var context = new DashboardTestContext(stats, interactive: true, refreshInterval: TimeSpan.FromMilliseconds(50), clock: clock);
        var page = context.Render<Overview>();
        Assert.Empty(page.FindAll("[data-testid=cluster-changing]"));

        stats.Failure = () => new SiloUnavailableException("Silo S127.0.0.1:11112:1 is unavailable");

        page.WaitForAssertion(
            () => Assert.Equal("The cluster is changing: showing the last values read at 12:00:05 UTC; retrying.", page.Find("[data-testid=cluster-changing]").TextContent.Trim()),
            Patient);
        Assert.Equal("500", page.Find("[data-testid=total-predictions]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=refresh-error]"));

        clock.Now = clock.Now.AddMinutes(1);
        stats.Set(FakeStats.Snapshot("fashion-mnist", "Bag", 700, 0.9));
        stats.Failure = null;

        page.WaitForAssertion(() => Assert.Equal("700", page.Find("[data-testid=total-predictions]").TextContent), Patient);
        Assert.Empty(page.FindAll("[data-testid=cluster-changing]"));

        stats.Failure = () => new TimeoutException("Response did not arrive on time in 00:00:30");
        page.WaitForAssertion(
            () => Assert.Contains("read at 12:01:05 UTC", page.Find("[data-testid=cluster-changing]").TextContent, StringComparison.Ordinal),
            Patient);
    }

    [Fact]
    public async Task A_read_that_hangs_shows_the_banner_after_the_read_timeout_and_is_waited_on_not_repeated()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 500, 0.9));
        await using var context = new DashboardTestContext(stats, interactive: true, refreshInterval: TimeSpan.FromMilliseconds(50), readTimeout: TimeSpan.FromMilliseconds(200));
        var page = context.Render<Overview>();

        var frozenSilo = new TaskCompletionSource();
        stats.Hang = frozenSilo;
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=cluster-changing]")), Patient);
        var reads = stats.LabelReads;
        await Task.Delay(500);
        Assert.Equal(reads, stats.LabelReads);
        Assert.Equal("500", page.Find("[data-testid=total-predictions]").TextContent);

        stats.Set(FakeStats.Snapshot("fashion-mnist", "Bag", 800, 0.9));
        stats.Hang = null;
        frozenSilo.SetResult();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=cluster-changing]")), Patient);
        page.WaitForAssertion(() => Assert.Equal("800", page.Find("[data-testid=total-predictions]").TextContent), Patient);
    }

    [Fact]
    public async Task A_page_that_could_read_nothing_yet_says_so_instead_of_failing()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 500, 0.9));
        stats.Failure = () => Rejection("Target silo is dead");
        await using var context = new DashboardTestContext(stats);

        var page = context.Render<Labels>(p => p.Add(x => x.Model, "fashion-mnist"));

        Assert.Equal("The cluster is changing: nothing could be read yet; retrying.", page.Find("[data-testid=cluster-changing]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=refresh-error]"));
    }

    [Fact]
    public async Task Other_failures_stay_errors_without_the_banner()
    {
        var stats = new FakeStats().WithModel("fashion-mnist", ("Bag", 500, 0.9));
        stats.Failure = () => new InvalidOperationException("the snapshot is corrupt");
        await using var context = new DashboardTestContext(stats);

        var page = context.Render<Overview>();

        Assert.Equal("Could not read the cluster: the snapshot is corrupt", page.Find("[data-testid=refresh-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=cluster-changing]"));
    }

    // Orleans creates message rejections itself: their constructors are internal.
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, [message, null], null)!;
}
