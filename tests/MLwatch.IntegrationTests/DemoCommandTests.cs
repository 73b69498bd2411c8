using System.Diagnostics;
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
        var modelsRoot = Path.GetDirectoryName(FashionMnistImages.ModelDirectory)!;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "mlwatch.dll"), "demo", "--count", "2000", "--rate", "0", "--exit", "--json"])
        {
            WorkingDirectory = Path.GetDirectoryName(modelsRoot)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MLWATCH__Api__Urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["MLWATCH__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["MLWATCH__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);

        using var demo = Process.Start(start)!;
        var stdout = demo.StandardOutput.ReadToEndAsync();
        var stderr = demo.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await demo.WaitForExitAsync(timeout.Token);
        Assert.True(demo.ExitCode == 0, $"demo exited with {demo.ExitCode}: {await stderr}");

        var lastLine = (await stdout).TrimEnd().Split('\n')[^1];
        var report = JsonDocument.Parse(lastLine).RootElement;
        Assert.Equal(2000, report.GetProperty("produced").GetInt64());
        Assert.Equal(2000, report.GetProperty("predicted").GetInt64());
        Assert.Equal(0, report.GetProperty("deadLettered").GetInt64());
        Assert.Equal(2000, report.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64()));
        Assert.InRange(report.GetProperty("accuracy").GetDouble(), 0.89, 1.0);
        Assert.True(report.GetProperty("elapsedSeconds").GetDouble() > 0);
    }
}
