using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Wire;
using MLwatch.Dashboard.Hosting;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Hosting;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Models;
using MLwatch.Grains.Monitoring;
using MLwatch.Hosting.Api;
using MLwatch.Hosting.Api.OpenInference;
using MLwatch.Hosting.Configuration;
using MLwatch.Hosting.Kafka;
using MLwatch.Hosting.Storage;
using MLwatch.Inference.Hosting;
using MLwatch.Inference.Models;
using MLwatch.Query;
using MLwatch.Storage.PostgreSql;
using MLwatch.Storage.PostgreSql.Hosting;
using MLwatch.Streaming.Kafka;
using MLwatch.Streaming.Kafka.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace MLwatch.Hosting.Extensions;

/// <summary>Registers a whole MLwatch silo from configuration.</summary>
public static class MLwatchSiloExtensions
{
    /// <summary>Adds the silo (clustering, Kafka streams, storage, grains' services) and the API's services.</summary>
    public static WebApplicationBuilder AddMLwatchSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection("Cluster").Get<MLwatchClusterOptions>() ?? new MLwatchClusterOptions();
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var api = configuration.GetSection("Api").Get<ApiOptions>() ?? new ApiOptions();
        builder.WebHost.UseUrls(api.Urls);
        builder.Services.AddOptions<ApiOptions>().Bind(configuration.GetSection("Api"));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(WireEnums.Converter()));

        builder.Services.AddMLwatchInference(options =>
        {
            configuration.GetSection("Inference").Bind(options);
            options.ModelsRoot = ResolveModelsRoot(options.ModelsRoot);
        });
        builder.Services.AddOptions<IngestOptions>().Bind(configuration.GetSection("Ingest")).Validate(
            options =>
            {
                options.Validate();
                return true;
            });
        builder.Services.AddOptions<ModelsOptions>().Bind(configuration.GetSection("Models")).Validate(
            options =>
            {
                options.Validate();
                return true;
            });
        builder.Services.AddMLwatchModels();
        builder.Services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection("Monitoring")).Validate(
            options =>
            {
                options.Validate();
                return true;
            });
        var monitoring = configuration.GetSection("Monitoring").Get<MonitoringOptions>() ?? new MonitoringOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KafkaEndpoint>();
        builder.Services.AddSingleton<RequestReader>();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<InferenceReplies>();
        builder.Services.AddOptions<OpenInferenceOptions>().Bind(configuration.GetSection("OpenInference")).Validate(
            options =>
            {
                options.Validate();
                return true;
            });
        builder.Services.AddSingleton<InferRequestProducer>();
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.AddSingleton<InferCall>();
        builder.Services.AddSingleton<SiloDeathSignal>();
        builder.Services.AddSingleton<TouchedGrainRegistry>();
        builder.Services.AddSingleton<ICommitBarrier>(sp => sp.GetRequiredService<TouchedGrainRegistry>());
        builder.Services.AddMLwatchStreamConsumers();
        builder.Services.AddSingleton<ReferenceProfiles>();
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<ModelSupervisor>();
        builder.Services.AddSingleton<ModelStatsQuery>();
        builder.Services.AddSingleton(new StorageDescription(storage.Provider));
        builder.Services.TryAddSingleton<StorageHealth>();
        builder.AddMLwatchDashboardHosting();
        builder.Services.AddHostedService<KafkaTopicsAtStart>(); // before UseOrleans: topics exist before any stream provider reads them

        builder.UseOrleans(silo =>
        {
            silo.UseMLwatchClustering(cluster);
            silo.AddDashboard();
            // Records flow only once the silo serves what the model registries serve (ModelsAtStart, one stage earlier).
            silo.AddKafkaStreams(StreamNames.Provider, kafka =>
            {
                kafka.ConfigureKafka(options => options.Bind(configuration.GetSection("Kafka")));
                kafka.ConfigureLifecycle(lifecycle => lifecycle.Configure(options => options.StartStage = ModelsAtStart.StreamsStartStage));
            });
            if (monitoring.FeedbackEnabled)
            {
                // Same brokers and client settings as the requests; its own topic, stream namespace and consumer group.
                silo.AddKafkaStreams(StreamNames.FeedbackProvider, kafka =>
                {
                    kafka.ConfigureKafka(options => options.Bind(configuration.GetSection("Kafka")).PostConfigure(feedback =>
                    {
                        feedback.Topic = monitoring.FeedbackTopic;
                        feedback.StreamNamespace = StreamNames.Feedback;
                        feedback.ConsumerGroup += "-feedback";
                    }));
                    kafka.ConfigureLifecycle(lifecycle => lifecycle.Configure(options => options.StartStage = ModelsAtStart.StreamsStartStage));
                });
            }

            switch (storage.Provider)
            {
                case StorageProvider.Memory:
                    silo.Services.AddGrainStorage(StorageNames.Stats, (services, _) => ActivatorUtilities.CreateInstance<SiloMemoryGrainStorage>(services));
                    break;
                case StorageProvider.PostgreSql:
                    silo.AddPostgreSqlGrainStorage(StorageNames.Stats, options =>
                    {
                        options.ConnectionString = storage.ConnectionString;
                        options.TableName = storage.TableName;
                        options.RetryFor = storage.RetryFor;
                    });
                    break;
                default:
                    throw new InvalidOperationException($"Storage:Provider '{storage.Provider}' is not supported; use Memory or PostgreSql.");
            }
        });
        return builder;
    }

    /// <summary>
    /// Localhost clustering (one silo) or a Redis membership table (many silos, each advertising its own address and
    /// ports). Kafka partitions are balanced by Orleans' consistent-ring queue balancer, which reassigns them whenever
    /// membership changes: a joining silo takes over a share, a stopped or dead one's share moves to the others.
    /// </summary>
    private static void UseMLwatchClustering(this ISiloBuilder silo, MLwatchClusterOptions cluster)
    {
        switch (cluster.Clustering)
        {
            case ClusteringProvider.Localhost:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                break;
            case ClusteringProvider.Redis:
                if (string.IsNullOrWhiteSpace(cluster.RedisConnectionString))
                {
                    throw new InvalidOperationException("Cluster:Clustering is Redis but Cluster:RedisConnectionString is empty; set it (e.g. 127.0.0.1:6379) or MLWATCH__Cluster__RedisConnectionString.");
                }

                if (!IPAddress.TryParse(cluster.AdvertisedIPAddress, out var advertised))
                {
                    throw new InvalidOperationException($"Cluster:AdvertisedIPAddress '{cluster.AdvertisedIPAddress}' is not an IP address.");
                }

                // The silo listens on the address it advertises; Orleans would only say "Cannot assign requested address".
                var local = NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToList();
                if (!local.Contains(advertised))
                {
                    throw new InvalidOperationException(
                        $"Cluster:AdvertisedIPAddress {advertised} is not an address of this machine (it has {string.Join(", ", local)}), so the silo cannot listen on it " +
                        $"(ports {cluster.SiloPort} and {cluster.GatewayPort}). Set it, or MLWATCH__Cluster__AdvertisedIPAddress, to this machine's address on the network the silos share.");
                }

                silo.UseRedisClustering(cluster.RedisConnectionString);
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
                silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<ClusterMembershipOptions>(options => ConfigureFailureDetection(options, cluster));
                break;
            default:
                throw new InvalidOperationException($"Cluster:Clustering '{cluster.Clustering}' is not supported; use Localhost or Redis.");
        }
    }

    /// <summary>
    /// Membership settings under which a frozen silo (SIGSTOP, a hung VM) is declared dead and its Kafka partitions flow
    /// on the others within 20 s, while a silo that is merely slow for a few seconds keeps its membership.
    /// </summary>
    /// <remarks>
    /// Why Orleans' defaults never declared a 15 s freeze dead (Orleans 10.4 membership): a prober counts missed
    /// probes, suspects after <c>NumMissedProbesLimit</c>, and after one miss less it probes through another silo
    /// (indirect probe: a failed one counts as a miss and carries the intermediary's vote too; one whose request itself
    /// times out, or whose intermediary reports degraded local health, counts nothing). But every vote is then dropped while a message from the suspect arrived
    /// within <c>MaxProbeTimeout × NumMissedProbesLimit</c> (the connection liveness check), and <c>MaxProbeTimeout</c>
    /// defaults to 4 × <c>ProbeTimeout</c>: with ProbeTimeout 2 s that is 24 s of silence, so a silo frozen for 15 s
    /// collected no vote at all (the "suppressing vote" line is at Information, below the profile's log level).
    /// Votes needed are min(NumVotesForDeathDeclaration, ⌈active silos / 2⌉): one in a 2-silo cluster (no
    /// intermediary exists, every probe is direct), two in a 3-silo one (one failed indirect probe brings both).
    ///
    /// The arithmetic with the defaults (ProbeTimeout 2 s, MaxProbeTimeout 3 s, 3 missed probes):
    /// - probes run every 1–3 s (adaptive period = timeout, floor ProbeTimeout / 2 = 1 s on loopback, ceiling 3 s);
    /// - no vote before 3 s × 3 = 9 s of total silence; the first failed probe after that votes: 9–12 s after the freeze;
    /// - the vote and the death declaration are one Redis read and write, gossiped at once to every silo (&lt; 1 s);
    /// - the consistent-ring queue balancer reacts to that status change at once: the survivors start pulling agents
    ///   for the dead silo's queues at their committed offsets, deliver, flush and commit within a checkpoint or two
    ///   (1–4 s with Kafka:CheckpointInterval 1 s as in the tests);
    /// so the partitions flow again 11–16 s after the freeze (HungSiloTests measured 10.6–15.1 s; with Orleans' default
    /// MaxProbeTimeout the same test saw the death after 24.8 s). A pause shorter than the 9 s of silence (a GC, seconds
    /// of busy CPU, SIGSTOP for 5 s in the tests) is never voted on: its probes may time out, but the liveness check sees its recent
    /// messages, and the next answered probe resets the count. Probe timeouts extended for a degraded prober
    /// (ExtendProbeTimeoutDuringDegradation, kept on) stay capped by MaxProbeTimeout, so a loaded prober delays
    /// detection by at most one probe. DeathVoteExpirationTimeout (2 min), IAmAliveTablePublishTimeout (30 s) and
    /// indirect probes keep Orleans' defaults: none of them is on the path above.
    /// </remarks>
    private static void ConfigureFailureDetection(ClusterMembershipOptions options, MLwatchClusterOptions cluster)
    {
        if (cluster.ProbeTimeout <= TimeSpan.Zero || cluster.MaxProbeTimeout < cluster.ProbeTimeout / 2 || cluster.MissedProbesLimit < 1 || cluster.VotesForDeathDeclaration < 1 || cluster.TableRefreshTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"Cluster membership settings are out of range (ProbeTimeout {cluster.ProbeTimeout}, MaxProbeTimeout {cluster.MaxProbeTimeout}, MissedProbesLimit {cluster.MissedProbesLimit}, " +
                $"VotesForDeathDeclaration {cluster.VotesForDeathDeclaration}, TableRefreshTimeout {cluster.TableRefreshTimeout}): timeouts must be positive, MaxProbeTimeout at least half of ProbeTimeout, the counts at least 1.");
        }

        options.ProbeTimeout = cluster.ProbeTimeout;
        options.MaxProbeTimeout = cluster.MaxProbeTimeout;
        options.NumMissedProbesLimit = cluster.MissedProbesLimit;
        options.NumVotesForDeathDeclaration = cluster.VotesForDeathDeclaration;
        options.TableRefreshTimeout = cluster.TableRefreshTimeout;
    }

    /// <summary>
    /// Adds the dashboard's services and makes its static files (MudBlazor's, the Blazor script) servable from a build
    /// output as well as from a publish folder: the static web assets manifest is read in every environment, not only
    /// in Development.
    /// </summary>
    public static WebApplicationBuilder AddMLwatchDashboardHosting(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseMLwatchDashboardAssets(builder.Environment, builder.Configuration);
        builder.Services.AddMLwatchDashboard(options => builder.Configuration.GetSection("Dashboard").Bind(options));
        return builder;
    }

    /// <summary>A relative models root that does not exist under the working directory is looked up from the program's directory upwards.</summary>
    internal static string ResolveModelsRoot(string configured)
    {
        if (Path.IsPathRooted(configured) || Directory.Exists(configured))
        {
            return configured;
        }

        return ModelCatalog.LocateModelsRoot() ?? configured;
    }
}
