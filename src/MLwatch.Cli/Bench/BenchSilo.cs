using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;
using MLwatch.Inference.Execution;
using MLwatch.Streaming.Kafka;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;

namespace MLwatch.Cli.Bench;

/// <summary>One silo of the local profile (in-memory state) in this process, serving the benchmarked model from a broker the benchmark owns.</summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _monitor;

    private BenchSilo(WebApplication app, string monitor)
    {
        _app = app;
        _monitor = monitor;
    }

    /// <summary>The silo's inference executor (its batch statistics).</summary>
    public InferenceExecutor Executor => _app.Services.GetRequiredService<InferenceExecutor>();

    /// <summary>Starts a silo on <paramref name="bootstrapServers"/> with the executor split <paramref name="decodeWorkers"/> / <paramref name="intraOpThreads"/>.</summary>
    public static async Task<BenchSilo> StartAsync(BenchInputs inputs, string bootstrapServers, int decodeWorkers, int intraOpThreads, SchedulerWarnings warnings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MLwatch"] = "Warning",
            ["Cluster:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:SiloPort"] = FreePort(),
            ["Cluster:GatewayPort"] = FreePort(),
            ["Api:Urls"] = $"http://127.0.0.1:{FreePort()}",
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Inference:ModelsRoot"] = inputs.ModelsRoot,
            ["Inference:DefaultModel"] = inputs.Model.Name,
            ["Inference:DecodeWorkers"] = decodeWorkers.ToString(CultureInfo.InvariantCulture),
            ["Inference:IntraOpThreads"] = intraOpThreads.ToString(CultureInfo.InvariantCulture),
            ["Ingest:AllowedRoots:0"] = inputs.FilesRoot,
        };
        var app = MLwatchSiloHost.Build(MLwatchConfiguration.LocateProfile("local"), overrides, configure: builder => builder.Logging.AddProvider(warnings));
        await app.StartAsync();
        return new BenchSilo(app, new ModelKey(inputs.Model.Name, inputs.Model.Version).ToString());
    }

    /// <summary>Predictions the model's monitor has counted (one grain: cheap to poll, unlike a thousand label grains).</summary>
    public async Task<long> PredictionsAsync() =>
        (await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelMonitorGrain>(_monitor).GetDriftAsync()).Predictions;

    /// <summary>Stops the silo's pulling agents (its receivers commit and let go of their partitions), so a topic can be filled unread.</summary>
    public Task StopReadingAsync() => SendToAgentsAsync(PersistentStreamProviderCommand.StopAgents);

    /// <summary>Starts the pulling agents again: the receivers resume at the committed offsets.</summary>
    public Task StartReadingAsync() => SendToAgentsAsync(PersistentStreamProviderCommand.StartAgents);

    /// <summary>Whether any receiver of this silo has handed a record to the pulling agent yet: the drain has begun.</summary>
    public bool HasStartedReading => _app.Services.GetRequiredService<KafkaPartitionOwnership>().Statuses().Any(s => s.HandedOutThrough >= 0);

    /// <summary>The silo's label statistics of the model (end-to-end latency histograms).</summary>
    public Task<Query.ModelLabelStats> LabelsAsync(Inference.Models.ModelDescriptor model) =>
        _app.Services.GetRequiredService<Query.ModelStatsQuery>().GetLabelsAsync(model);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task SendToAgentsAsync(PersistentStreamProviderCommand command) =>
        _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0)
            .SendControlCommandToProvider<PersistentStreamProvider>(StreamNames.Provider, (int)command, null);

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
