using System.Text.Json;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>
/// `mlwatch bench` as a user runs it, briefly: every phase runs and reports in the JSON line. It measures nothing here
/// (no figure is asserted beyond being a figure: benchmarks print, tests do not time).
/// </summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("bytes")]
    [InlineData("paths")]
    public async Task Bench_runs_every_phase_on_fashion_mnist_and_reports_them_in_its_json_line(string input)
    {
        var bench = await MlwatchProcess.RunAsync(["bench", "--model", "fashion-mnist", "--duration", "1", "--input", input, "--json"], new Dictionary<string, string>());
        Assert.True(bench.ExitCode == 0, $"bench exited with {bench.ExitCode}: {bench.Stderr}");

        var report = JsonDocument.Parse(bench.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("fashion-mnist", report.GetProperty("model").GetString());
        Assert.Equal(input, report.GetProperty("input").GetString());
        foreach (var figure in new[] { "ortPerSec", "serialPerSec", "limitPerSec", "pipelinePerSec", "ratio", "latencyOfferedPerSec", "p50LatencyMs", "p99LatencyMs", "batchSizeMean" })
        {
            Assert.True(report.GetProperty(figure).GetDouble() > 0, $"{figure} is {report.GetProperty(figure)}");
        }

        Assert.True(report.GetProperty("pipelineRecords").GetInt64() > 0);
        Assert.Equal(0, report.GetProperty("schedulerWarnings").GetInt32());
    }

    [Fact]
    public async Task Bench_of_a_model_that_was_never_made_says_how_to_make_it()
    {
        var bench = await MlwatchProcess.RunAsync(["bench", "--model", "no-such-model"], new Dictionary<string, string>());

        Assert.Equal(2, bench.ExitCode);
        Assert.Contains("models/bench/export.py", bench.Stderr, StringComparison.Ordinal);
    }
}
