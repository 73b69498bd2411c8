using System.Globalization;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>`mlwatch demo` as a user runs it: its own process, embedded broker and in-memory state.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_classifies_every_record_it_produces_and_reports_json()
    {
        var demo = await MlwatchProcess.RunAsync(
            ["demo", "--count", "2000", "--rate", "0", "--exit", "--json"],
            new Dictionary<string, string>
            {
                ["MLWATCH__Api__Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["MLWATCH__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["MLWATCH__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            });
        Assert.True(demo.ExitCode == 0, $"demo exited with {demo.ExitCode}: {demo.Stderr}");

        var lastLine = demo.Stdout.TrimEnd().Split('\n')[^1];
        var report = JsonDocument.Parse(lastLine).RootElement;
        Assert.Equal(2000, report.GetProperty("produced").GetInt64());
        Assert.Equal(2000, report.GetProperty("predicted").GetInt64());
        Assert.Equal(0, report.GetProperty("deadLettered").GetInt64());
        Assert.Equal(2000, report.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64()));
        Assert.InRange(report.GetProperty("accuracy").GetDouble(), 0.89, 1.0);
        Assert.True(report.GetProperty("elapsedSeconds").GetDouble() > 0);
    }
}
