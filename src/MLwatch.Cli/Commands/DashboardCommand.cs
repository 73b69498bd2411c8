using System.CommandLine;
using Microsoft.Extensions.Hosting;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch dashboard: the dashboard alone, as an Orleans client of a running cluster.</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster")
        {
            Description = "A silo gateway, host:port (the silo's Cluster:GatewayPort, 30000 in silo-config/local.json).",
            DefaultValueFactory = _ => "127.0.0.1:30000",
        };
        var urls = new Option<string?>("--urls") { Description = $"Where the dashboard listens (default {MLwatchDashboardHost.DefaultUrls})." };
        var config = CommonOptions.Config();
        var command = new Command("dashboard", "Serve the dashboard alone, reading grain state from a running cluster as an Orleans client (service and cluster ids from the profile).")
        {
            cluster,
            urls,
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var profile = parse.GetValue(config) ?? MLwatchConfiguration.LocateProfile("local");
            await using var app = MLwatchDashboardHost.Build(profile, parse.GetValue(cluster)!, parse.GetValue(urls));
            await app.StartAsync(cancellationToken);
            await System.Console.Error.WriteLineAsync($"Dashboard at {string.Join(", ", app.Urls)} (cluster gateway {parse.GetValue(cluster)}). Ctrl-C stops.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
