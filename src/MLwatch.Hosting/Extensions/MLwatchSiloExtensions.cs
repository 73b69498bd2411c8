using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MLwatch.Abstractions;
using MLwatch.Dashboard.Hosting;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Hosting;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Monitoring;
using MLwatch.Hosting.Api;
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
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

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
        builder.Services.AddSingleton<TouchedGrainRegistry>();
        builder.Services.AddSingleton<ICommitBarrier>(sp => sp.GetRequiredService<TouchedGrainRegistry>());
        builder.Services.AddMLwatchStreamConsumers();
        builder.Services.AddSingleton<ReferenceProfiles>();
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<ModelStatsQuery>();
        builder.Services.AddSingleton(new StorageDescription(storage.Provider));
        builder.Services.TryAddSingleton<StorageHealth>();
        builder.AddMLwatchDashboardHosting();
        builder.Services.AddHostedService<KafkaTopicsAtStart>(); // before UseOrleans: topics exist before any stream provider reads them

        builder.UseOrleans(silo =>
        {
            silo.UseMLwatchClustering(cluster);
            silo.AddDashboard();
            silo.AddKafkaStreams(StreamNames.Provider, kafka => kafka.ConfigureKafka(options => options.Bind(configuration.GetSection("Kafka"))));
            if (monitoring.FeedbackEnabled)
            {
                // Same brokers and client settings as the requests; its own topic, stream namespace and consumer group.
                silo.AddKafkaStreams(StreamNames.FeedbackProvider, kafka => kafka.ConfigureKafka(options => options.Bind(configuration.GetSection("Kafka")).PostConfigure(feedback =>
                {
                    feedback.Topic = monitoring.FeedbackTopic;
                    feedback.StreamNamespace = StreamNames.Feedback;
                    feedback.ConsumerGroup += "-feedback";
                })));
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

                silo.UseRedisClustering(cluster.RedisConnectionString);
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
                silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<ClusterMembershipOptions>(options => options.ProbeTimeout = cluster.ProbeTimeout);
                break;
            default:
                throw new InvalidOperationException($"Cluster:Clustering '{cluster.Clustering}' is not supported; use Localhost or Redis.");
        }
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
