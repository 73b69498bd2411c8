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
using MLwatch.Grains.Inference;
using MLwatch.Grains.Monitoring;
using MLwatch.Hosting.Api;
using MLwatch.Hosting.Configuration;
using MLwatch.Hosting.Storage;
using MLwatch.Inference.Hosting;
using MLwatch.Inference.Models;
using MLwatch.Query;
using MLwatch.Storage.PostgreSql;
using MLwatch.Storage.PostgreSql.Hosting;
using MLwatch.Streaming.Kafka;
using MLwatch.Streaming.Kafka.Hosting;
using Orleans.Dashboard;
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
        builder.Services.AddSingleton<ReferenceProfiles>();
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<ModelStatsQuery>();
        builder.Services.AddSingleton(new StorageDescription(storage.Provider));
        builder.Services.TryAddSingleton<StorageHealth>();
        builder.AddMLwatchDashboardHosting();

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
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
