using System.Diagnostics;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Metrics;

/// <summary>
/// The shipped Prometheus configuration (docs/prometheus/) as Prometheus' own checker reads it: promtool, from Debian's
/// prometheus package (installed by eng/test.sh), validates the scrape configuration and the alerting rules, and runs
/// the rules' unit tests (alerts.test.yml: each alert fires on the series it is about, and only then).
/// </summary>
public sealed class MetricsConfigurationTests
{
    private static readonly string ConfigDirectory = Path.Combine(ChildProcess.RepositoryRoot, "docs", "prometheus");

    [Fact]
    public async Task The_example_scrape_configuration_is_valid() =>
        Assert.Contains("is valid prometheus config file syntax", await PromtoolAsync("check", "config", "prometheus.yml"), StringComparison.Ordinal);

    [Fact]
    public async Task The_alerting_rules_are_valid() =>
        Assert.Contains("SUCCESS: 6 rules found", await PromtoolAsync("check", "rules", "alerts.yml"), StringComparison.Ordinal);

    [Fact]
    public async Task Each_alert_fires_on_the_series_it_is_about() =>
        Assert.Contains("SUCCESS", await PromtoolAsync("test", "rules", "alerts.test.yml"), StringComparison.Ordinal);

    /// <summary>Runs promtool in docs/prometheus; returns its output, failing the test with it when promtool fails.</summary>
    private static async Task<string> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool", arguments)
        {
            WorkingDirectory = ConfigDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("promtool was not found. Run the test command (eng/test.sh), which installs Debian's prometheus package, or `apt-get install -y --no-install-recommends prometheus`.", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var text = await output + await errors;
            Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', arguments)} exited {process.ExitCode}:\n{text}");
            return text;
        }
    }
}
