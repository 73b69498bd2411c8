using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MLwatch.Dashboard.Hosting;
using MLwatch.Hosting.Api;
using MLwatch.Hosting.Configuration;
using MLwatch.Hosting.Extensions;
using MLwatch.Hosting.Telemetry;
using Orleans.Dashboard;

namespace MLwatch.Hosting;

/// <summary>Builds a runnable silo with its HTTP API and dashboard from a profile.</summary>
public static class MLwatchSiloHost
{
    /// <summary>Where a silo host serves the Orleans Dashboard (grain activations, calls, silo health).</summary>
    public const string OrleansDashboardPath = "/orleans";

    /// <summary>
    /// Builds the silo of profile <paramref name="profilePath"/>, with <paramref name="overrides"/> applied last and
    /// <paramref name="configure"/> (e.g. a test's log capture) run after MLwatch's registrations.
    /// </summary>
    public static WebApplication Build(
        string profilePath, IEnumerable<KeyValuePair<string, string?>>? overrides = null, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Configuration.AddMLwatchProfile(profilePath, overrides);
        // Logs go to stderr: stdout belongs to command output (tables, --json).
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddMLwatchSilo();
        builder.AddMLwatchMetrics();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapMLwatchApi();
        app.MapMLwatchMetrics();
        app.MapMLwatchDashboard();
        app.MapOrleansDashboard(OrleansDashboardPath);
        return app;
    }
}
