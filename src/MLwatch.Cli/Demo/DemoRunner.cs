using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Pacing;
using MLwatch.Query;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;
using Spectre.Console;

namespace MLwatch.Cli.Demo;

/// <summary>
/// Produces the Fashion-MNIST test set into a running silo's topic and waits until every record is either predicted
/// or dead-lettered, showing progress.
/// </summary>
public sealed class DemoRunner(IServiceProvider services, IAnsiConsole console)
{
    /// <summary>How long the pipeline may make no progress before the demo gives up.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    public Task<DemoReport> RunAsync(int count, double rate, CancellationToken cancellationToken) =>
        RunAsync(ImageSources.Open(ImageSources.FashionMnist), count, rate, cancellationToken);

    /// <summary>Produces <paramref name="count"/> images of <paramref name="source"/> (e.g. a shifted stream) and waits until all are classified.</summary>
    public async Task<DemoReport> RunAsync(IImageSource source, int count, double rate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var query = services.GetRequiredService<ModelStatsQuery>();
        var model = services.GetRequiredService<ModelCatalog>().Default;
        var kafka = services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(StreamNames.Provider);
        var bootstrap = services.GetRequiredService<KafkaEndpoint>().Resolve(kafka.BootstrapServers);

        var (basePredicted, baseDeadLettered) = await CountAsync(query, model);
        // The embedded broker deletes unread records beyond 5 MiB per partition: produce only as fast as the silo commits.
        var embedded = string.IsNullOrWhiteSpace(kafka.BootstrapServers) || await BrokerProbe.IsEmbeddedBrokerAsync(bootstrap, TimeSpan.FromSeconds(15));
        using var pacer = embedded ? ConsumerLagPacer.Start(bootstrap, kafka.Topic, kafka.ConsumerGroup, System.Console.Error) : null;
        using var producer = new ImageProducer(bootstrap, kafka.Topic, pacer);
        var clock = Stopwatch.StartNew();
        long predicted = 0, deadLettered = 0;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var producing = context.AddTask($"Producing to {kafka.Topic}", maxValue: count);
                var classifying = context.AddTask("Classified", maxValue: count);
                var production = producer.ProduceAsync(source, count, rate, new Progress<int>(n => producing.Value = n), cancellationToken);
                var lastProgress = clock.Elapsed;
                while (true)
                {
                    var (p, d) = await CountAsync(query, model);
                    if (p - basePredicted + d - baseDeadLettered > predicted + deadLettered)
                    {
                        lastProgress = clock.Elapsed;
                    }

                    (predicted, deadLettered) = (p - basePredicted, d - baseDeadLettered);
                    classifying.Value = predicted + deadLettered;
                    if (production.IsFaulted)
                    {
                        await production;
                    }

                    if (production.IsCompleted && predicted + deadLettered >= count)
                    {
                        producing.Value = count;
                        break;
                    }

                    if (clock.Elapsed - lastProgress > StallLimit)
                    {
                        throw new TimeoutException(
                            $"No record was classified for {StallLimit.TotalSeconds:F0} s ({predicted + deadLettered} of {count} done). Check the silo log above for Kafka or inference errors.");
                    }

                    await Task.Delay(200, cancellationToken);
                }
            });
        var elapsed = clock.Elapsed.TotalSeconds;
        var stats = await query.GetLabelsAsync(model);
        return new DemoReport(
            count,
            predicted,
            deadLettered,
            stats.Accuracy,
            Math.Round(elapsed, 3),
            Math.Round(count / Math.Max(elapsed, 1e-3), 1),
            [.. stats.Labels.Select(l => new DemoLabel(l.Label, l.Count, Math.Round(l.MeanConfidence, 6)))]);
    }

    public void Render(DemoReport report)
    {
        var table = new Table().Title("Predictions per label").AddColumns("Label", "Count", "Mean confidence");
        foreach (var label in report.Labels)
        {
            table.AddRow(Markup.Escape(label.Label), label.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), label.MeanConfidence.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var accuracy = report.Accuracy is { } a ? a.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
        console.MarkupLine(
            $"Produced [bold]{report.Produced}[/], predicted [green]{report.Predicted}[/], dead-lettered [yellow]{report.DeadLettered}[/] in {report.ElapsedSeconds:F1} s " +
            $"([bold]{report.RecordsPerSecond:F0}[/] records/s). Accuracy against the true labels: [bold]{accuracy}[/].");
    }

    private static async Task<(long Predicted, long DeadLettered)> CountAsync(ModelStatsQuery query, ModelDescriptor model)
    {
        var stats = await query.GetLabelsAsync(model);
        var deadLetters = await query.GetDeadLettersAsync();
        return (stats.Total, deadLetters.Values.Sum());
    }
}
