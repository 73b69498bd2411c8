using Bunit;
using MLwatch.Abstractions.Models;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Tests.Support;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class ModelsPageTests
{
    [Fact]
    public async Task Each_version_shows_its_state_and_serving_statistics_with_the_active_one_marked()
    {
        var versions = new FakeVersions();
        versions.Versions["fashion-mnist"] =
        [
            FakeVersions.Version("1", ModelVersionState.Retired, active: false, records: 4000, errors: 12,
                drift: FakeDrift.Snapshot("fashion-mnist", [FakeDrift.Window(1, 0.05, 0.03, 0.93, 1000, 930)])),
            FakeVersions.Version("2", ModelVersionState.Active, active: true, records: 800),
            FakeVersions.Version("3", ModelVersionState.Rejected, active: false, records: 0, reason: "wrong-output-width: the graph gives 11 outputs, labels.txt has 10"),
        ];
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 1, 0.9)), versions: versions);

        var page = context.Render<Models>();

        var rows = page.FindAll("[data-testid=versions-fashion-mnist] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "2", "3"], rows.Select(r => r.QuerySelector("[data-testid=version]")!.FirstChild!.TextContent.Trim()));
        Assert.Equal("2", Assert.Single(page.FindAll("[data-testid=active-version]")).Closest("tr")!.QuerySelector("[data-testid=version]")!.FirstChild!.TextContent.Trim());
        Assert.Equal(["4,000", "800", "0"], rows.Select(r => r.QuerySelector("[data-testid=records]")!.TextContent));
        Assert.Equal("12", rows[0].QuerySelector("[data-testid=errors]")!.TextContent);
        Assert.Equal("1.50 / 4.25 / 8.75", rows[1].QuerySelector("[data-testid=latency]")!.TextContent);
        Assert.Equal("–", rows[2].QuerySelector("[data-testid=latency]")!.TextContent);
        Assert.Equal("0.930", rows[0].QuerySelector("[data-testid=realized-accuracy]")!.TextContent);
        Assert.Contains("wrong-output-width", rows[2].QuerySelector("[data-testid=state-reason]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_without_versions_in_the_registry_says_so()
    {
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 1, 0.9)));

        var page = context.Render<Models>();

        Assert.Contains("knows no version of fashion-mnist", page.Find("[data-testid=no-versions]").TextContent, StringComparison.Ordinal);
    }
}
