using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLwatch.Grains.Monitoring;
using MLwatch.Monitoring.Drift;
using MLwatch.Abstractions.Stats;
using MLwatch.Inference.Models;
using MLwatch.Hosting.Api.OpenInference;
using MLwatch.Hosting.Configuration;
using MLwatch.Query;
using MLwatch.Storage.PostgreSql;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Api;

/// <summary>
/// The HTTP JSON API over live grain state: open reads (closable with Api:RequireKeyForReads), and admin operations that
/// need Api:AdminKey in the X-Api-Key header.
/// </summary>
public static class QueryEndpoints
{
    /// <summary>Maps /healthz and /api/*.</summary>
    public static IEndpointRouteBuilder MapMLwatchApi(this IEndpointRouteBuilder app)
    {
        // Always 200 while the silo runs: a degraded storage or a stalled partition is reported in the body, not by a
        // status an orchestrator would restart the silo for (a restart cannot bring PostgreSQL back, and would drop the
        // state held in memory). "stalled" wins over "degraded": records wait either way, and a stall has more causes.
        app.MapGet("/healthz", (StorageHealth health, StorageDescription storage, KafkaPartitionOwnership partitions) =>
        {
            var snapshot = health.GetSnapshot();
            var statuses = partitions.Statuses();
            var stalled = statuses.Where(p => p.Stalled).Select(p => p.Name).ToArray();
            return Results.Ok(new
            {
                status = stalled.Length > 0 ? "stalled" : snapshot.Status,
                storage = new
                {
                    provider = storage.Provider.ToString().ToLowerInvariant(),
                    status = snapshot.Status,
                    degradedSince = snapshot.DegradedSince,
                    lastFailureAt = snapshot.LastFailureAt,
                    lastFailure = snapshot.LastFailure,
                    retrying = snapshot.Retrying,
                    operationsRetrying = snapshot.OperationsRetrying,
                    failedAttempts = snapshot.FailedAttempts,
                },
                stalledPartitions = stalled,
                partitions = statuses.Select(PartitionStatusJson.From),
            });
        });

        var apiOptions = app.ServiceProvider.GetRequiredService<IOptions<ApiOptions>>();
        MapAdminOperations(app.MapGroup("/api").WithApiErrorHandling().AddEndpointFilter(new ApiKeyFilter(apiOptions, forReads: false)));

        var api = app.MapGroup("/api").WithApiErrorHandling().AddEndpointFilter(new ApiKeyFilter(apiOptions, forReads: true));
        ModelEndpoints.MapModelReads(api);
        app.MapOpenInference();
        api.MapGet("/models", async (ModelStatsQuery query) =>
        {
            var models = await Task.WhenAll(query.Models.Select(query.GetLabelsAsync));
            return Results.Ok(models.Select(m => new
            {
                name = m.Model,
                version = m.Version,
                labels = m.Labels.Count,
                predictions = m.Total,
                accuracy = m.Accuracy,
            }));
        });

        // ?version= reads one version's statistics (every version keeps its own); without it, the version served now.
        api.MapGet("/models/{model}/labels", async (string model, string? version, ModelStatsQuery query) =>
        {
            if (query.FindModel(model) is null)
            {
                return UnknownModel(model, query);
            }

            if (query.FindModel(model, version) is not { } descriptor)
            {
                return UnknownVersion(model, version!, query);
            }

            var stats = await query.GetLabelsAsync(descriptor);
            return Results.Ok(new
            {
                model = stats.Model,
                version = stats.Version,
                total = stats.Total,
                accuracy = stats.Accuracy,
                labels = stats.Labels.Select(l => ToLabelSummary(l, stats.Total)),
            });
        });

        // Labels may contain '/' ("T-shirt/top"): a catch-all segment accepts them raw or percent-encoded.
        api.MapGet("/models/{model}/labels/{**label}", async (string model, string label, ModelStatsQuery query) =>
        {
            if (query.FindModel(model) is not { } descriptor)
            {
                return UnknownModel(model, query);
            }

            label = Uri.UnescapeDataString(label);
            if (!descriptor.Labels.Contains(label, StringComparer.Ordinal))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown label",
                    detail: $"Model '{model}' has no label '{label}'. Its labels: {string.Join(", ", descriptor.Labels)}.");
            }

            return Results.Ok(await query.GetLabelAsync(descriptor, label));
        });

        // Every active silo with the Kafka partitions it receives now (each silo answers for itself).
        api.MapGet("/cluster", async (IClusterStatusSource cluster) => Results.Ok(new
        {
            silos = (await cluster.GetSilosAsync()).Select(s => new
            {
                address = s.Address,
                name = s.Name,
                status = s.Status,
                startedAt = s.StartedAt,
                isThisSilo = s.IsThisSilo,
                partitions = s.Partitions,
                partitionsKnown = s.PartitionsKnown,
                partitionStatus = s.PartitionStatus.Select(PartitionStatusJson.From),
            }),
        }));

        api.MapGet("/deadletters", async (ModelStatsQuery query) => Results.Ok(await query.GetDeadLettersAsync()));
        api.MapGet("/ingest/warnings", async (ModelStatsQuery query) => Results.Ok(await query.GetIngestWarningsAsync()));

        api.MapGet("/models/{model}/drift", async (string model, ModelStatsQuery models, ModelDriftQuery drift) =>
            models.FindModel(model) is { } descriptor ? Results.Ok(await drift.GetDriftAsync(descriptor)) : UnknownModel(model, models));

        // ?model= narrows to one model; ?active=true lists only alerts raised and not cleared.
        api.MapGet("/alerts", async (string? model, bool? active, ModelStatsQuery models, ModelDriftQuery drift) =>
        {
            ModelDescriptor? descriptor = null;
            if (model is not null && (descriptor = models.FindModel(model)) is null)
            {
                return UnknownModel(model, models);
            }

            return Results.Ok(active == true ? await drift.GetActiveAlertsAsync(descriptor) : await drift.GetAlertsAsync(descriptor));
        });
        return app;
    }

    private static void MapAdminOperations(RouteGroupBuilder admin)
    {
        ModelEndpoints.MapModelAdmin(admin);

        // Body: the thresholds as JSON ({"jensenShannon":0.1,"psi":0.2,"alpha":0.01,"accuracyDrop":0.05,"minLabeledForRealized":100});
        // fields left out take their built-in defaults. In force from the next window on, and kept in the monitor's state.
        admin.MapPut("/models/{model}/thresholds", async (string model, DriftThresholds thresholds, ModelStatsQuery models, ModelDriftQuery drift) =>
        {
            if (models.FindModel(model) is not { } descriptor)
            {
                return UnknownModel(model, models);
            }

            var errors = thresholds.GetValidationErrors();
            if (errors.Count > 0)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid thresholds",
                    detail: string.Join("; ", errors) + ".");
            }

            return Results.Ok(await drift.SetThresholdsAsync(descriptor, ModelMonitor.ToSettings(thresholds)));
        });

        admin.MapPost("/models/{model}/monitor/reset", async (string model, ModelStatsQuery models, ModelDriftQuery drift) =>
            models.FindModel(model) is { } descriptor ? Results.Ok(await drift.ResetAsync(descriptor)) : UnknownModel(model, models));
    }

    private static object ToLabelSummary(LabelStatsSnapshot label, long total) => new
    {
        label = label.Label,
        count = label.Count,
        share = total == 0 ? 0 : (double)label.Count / total,
        meanConfidence = label.MeanConfidence,
        minConfidence = label.MinConfidence,
        maxConfidence = label.MaxConfidence,
        confidenceStdDev = label.ConfidenceStdDev,
        labeledCount = label.LabeledCount,
        correctCount = label.CorrectCount,
        lastSeen = label.LastSeen,
    };

    private static IResult UnknownVersion(string model, string version, ModelStatsQuery query) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown version",
        detail: $"Model '{model}' has no version '{version}' on this silo. Its versions: {string.Join(", ", query.Versions(model).Select(v => v.Version))}.");

    private static IResult UnknownModel(string model, ModelStatsQuery query) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown model",
        detail: $"No model '{model}' is served. Served models: {string.Join(", ", query.Models.Select(m => m.Name))}.");
}
