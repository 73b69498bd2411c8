using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MLwatch.Dashboard.Hosting;
using MLwatch.Hosting.Configuration;
using MLwatch.Hosting.Extensions;
using MLwatch.Inference.Hosting;
using MLwatch.Streaming.Kafka;
using Orleans.Configuration;

namespace MLwatch.Hosting;

/// <summary>Builds the dashboard on its own, as an Orleans client of a running cluster.</summary>
public static class MLwatchDashboardHost
{
    /// <summary>Where the stand-alone dashboard listens unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5090";

    /// <summary>
    /// Builds a dashboard that connects through the silo gateway <paramref name="gateway"/> ("host:port") with the
    /// service and cluster ids of profile <paramref name="profilePath"/>, listening on <paramref name="urls"/>.
    /// </summary>
    public static WebApplication Build(string profilePath, string gateway, string? urls = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var gatewayEndpoint = ParseGateway(gateway);
        var builder = WebApplication.CreateSlimBuilder([]);
        builder.Configuration.AddMLwatchProfile(profilePath, overrides);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        var cluster = builder.Configuration.GetSection("Cluster").Get<MLwatchClusterOptions>() ?? new MLwatchClusterOptions();
        builder.WebHost.UseUrls(urls ?? builder.Configuration["Dashboard:Urls"] ?? DefaultUrls);

        builder.Services.AddMLwatchInference(options =>
        {
            builder.Configuration.GetSection("Inference").Bind(options);
            options.ModelsRoot = MLwatchSiloExtensions.ResolveModelsRoot(options.ModelsRoot);
        });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gatewayEndpoint);
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
        });
        builder.AddMLwatchDashboardHosting();

        var app = builder.Build();
        app.MapGet("/healthz", () => Microsoft.AspNetCore.Http.Results.Ok(new { status = "ok" }));
        app.MapMLwatchDashboard();
        return app;
    }

    /// <summary>Parses "host:port" (an IP address or a host name) into the gateway endpoint.</summary>
    public static IPEndPoint ParseGateway(string gateway)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gateway);
        if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var colon = gateway.LastIndexOf(':');
        if (colon > 0 && int.TryParse(gateway[(colon + 1)..], out var port) && port is > 0 and <= 65535)
        {
            var address = Dns.GetHostAddresses(gateway[..colon]).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"--cluster '{gateway}': host '{gateway[..colon]}' has no IPv4 address.", nameof(gateway));
            return new IPEndPoint(address, port);
        }

        throw new ArgumentException($"--cluster '{gateway}' is not a gateway address; expected host:port, e.g. 127.0.0.1:30000 (the silo's Cluster:GatewayPort).", nameof(gateway));
    }
}
