using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MLwatch.Cli.Bench;
using MLwatch.Cli.Console;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>
/// mlwatch bench: how fast this machine serves a model, in one run — ONNX Runtime alone, the machine's limit for the
/// whole job (decode + preprocess + inference, serial and overlapped), the pipeline draining a filled topic, and the
/// end-to-end latency at 80 % of that rate.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model to benchmark: fashion-mnist, or mobilenet-v2 / inception-v3 (made by models/bench/export.py).", DefaultValueFactory = _ => "fashion-mnist" };
        var duration = new Option<double>("--duration") { Description = "Seconds each phase measures (the searches split it between their configurations).", DefaultValueFactory = _ => 10 };
        var input = new Option<string>("--input") { Description = "bytes: records carry the encoded image; paths: records carry its file path (text/uri-list).", DefaultValueFactory = _ => "bytes" };
        input.AcceptOnlyFromAmong("bytes", "paths");
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the benchmark's request topic (the embedded broker keeps 4 MiB of each safely).", DefaultValueFactory = _ => 16 };
        var modelsRoot = new Option<string?>("--models-root") { Description = "The models/ directory (default: found from the working directory)." };
        var phases = new Option<string>("--phases")
        {
            Description = "Which phases to run, comma-separated: ort (ONNX Runtime alone), limit (the machine's limit; without it the pipeline uses the profile's thread split and no ratio is given), pipeline, latency.",
            DefaultValueFactory = _ => "ort,limit,pipeline,latency",
        };
        var load = new Option<double>("--latency-load") { Description = "The latency run's rate as a share of the pipeline's drain rate.", DefaultValueFactory = _ => 0.8 };
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure how fast this machine serves a model: ONNX Runtime alone, the machine's limit, the whole pipeline and its latency.")
        {
            model, duration, input, partitions, modelsRoot, phases, load, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var console = Terminal.ForHumans(asJson);
            BenchInputs inputs;
            try
            {
                inputs = BenchInputs.Load(parse.GetValue(model)!, parse.GetValue(modelsRoot));
            }
            catch (IOException exception)
            {
                await System.Console.Error.WriteLineAsync(exception.Message);
                return 2;
            }

            using (inputs)
            {
                var selected = parse.GetValue(phases)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var report = await RunAsync(inputs, parse.GetValue(input) == "paths", TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(partitions), selected, parse.GetValue(load), line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
                Render(console, report);
                if (asJson)
                {
                    System.Console.Out.WriteLine(JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
                }
            }

            return 0;
        });
        return command;
    }

    private static async Task<BenchReport> RunAsync(BenchInputs inputs, bool sendPaths, TimeSpan duration, int partitions, IReadOnlySet<string> phases, double load, Action<string> progress)
    {
        var model = inputs.Model;
        progress($"{model.Name}: {inputs.Images.Count} images of {inputs.MeanImageBytes / 1024:F0} KiB on average, sent as {(sendPaths ? "paths" : "bytes")}; {Environment.ProcessorCount} processors");

        var bestOrt = phases.Contains("ort") ? OrtAloneBenchmark.Run(inputs, Slice(duration, Environment.ProcessorCount * 7), progress).MaxBy(m => m.ImagesPerSecond) : null;
        double? serial = null;
        ExecutorMeasurement? limit = null;
        if (phases.Contains("limit"))
        {
            serial = MachineLimitBenchmark.RunSerial(inputs, Slice(duration, 3));
            progress($"serial loop (decode a batch, then run it): {serial:N0} images/s");
            limit = MachineLimitBenchmark.RunOverlapped(inputs, Slice(duration, 3), progress).MaxBy(m => m.ImagesPerSecond)!;
        }

        var defaults = new Inference.InferenceOptions();
        var (decoders, intraOp) = limit is null ? (defaults.DecodeWorkers, defaults.IntraOpThreads) : (limit.DecodeWorkers, limit.IntraOpThreads);
        await using var pipeline = new PipelineBenchmark(inputs, sendPaths, partitions, decoders, intraOp, progress);
        var drain = phases.Contains("pipeline") || phases.Contains("latency")
            ? await pipeline.DrainAsync(duration, limit?.ImagesPerSecond ?? bestOrt?.ImagesPerSecond ?? 1000)
            : null;
        var latency = drain is not null && phases.Contains("latency") ? await pipeline.LatencyAsync(load * drain.RecordsPerSecond, duration) : null;
        var warnings = pipeline.Warnings.Seen;
        return new BenchReport(
            model.Name,
            sendPaths ? "paths" : "bytes",
            Environment.ProcessorCount,
            Math.Round(inputs.MeanImageBytes),
            Round(bestOrt?.ImagesPerSecond),
            bestOrt?.BatchSize,
            bestOrt?.IntraOpThreads,
            Round(serial),
            Round(limit?.ImagesPerSecond),
            decoders,
            intraOp,
            Round(drain?.RecordsPerSecond),
            drain is not null && limit is not null ? Math.Round(drain.RecordsPerSecond / limit.ImagesPerSecond, 3) : null,
            drain?.Records,
            drain?.Rounds,
            Round(latency?.OfferedPerSecond),
            Round(latency?.P50Ms),
            Round(latency?.P99Ms),
            Math.Round(pipeline.MeanBatchSize, 2),
            warnings.Count,
            warnings.Count > 0 ? warnings[0] : null);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    /// <summary>An even share of <paramref name="duration"/> for each of <paramref name="configurations"/>, at least half a second.</summary>
    private static TimeSpan Slice(TimeSpan duration, int configurations) => TimeSpan.FromSeconds(Math.Max(0.5, duration.TotalSeconds / configurations));

    private static void Render(IAnsiConsole console, BenchReport report)
    {
        static string Rate(double? perSecond) => perSecond is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "–";
        var table = new Table().Title($"{report.Model}, {report.Input}, {report.Processors} processors").AddColumns("measure", "value", "how");
        table.AddRow("ONNX Runtime alone", Rate(report.OrtPerSec), $"batch {report.OrtBatchSize}, {report.OrtIntraOpThreads} intra-op thread(s), tensors decoded beforehand");
        table.AddRow("serial limit", Rate(report.SerialPerSec), "decode a batch, then run it, one loop");
        table.AddRow("limit (overlapped)", Rate(report.LimitPerSec), $"{report.LimitDecodeWorkers} decode worker(s) + {report.LimitIntraOpThreads} intra-op thread(s)");
        table.AddRow("pipeline", Rate(report.PipelinePerSec), $"{report.PipelineRecords:N0} records drained in {report.PipelineRounds} round(s); ratio to the limit {report.Ratio?.ToString("F2", CultureInfo.InvariantCulture) ?? "–"}");
        table.AddRow("latency p50 / p99", $"{report.P50LatencyMs:F1} / {report.P99LatencyMs:F1} ms", $"at {Rate(report.LatencyOfferedPerSec)} ({report.LatencyOfferedPerSec / report.PipelinePerSec:P0} of the pipeline)");
        table.AddRow("mean batch", report.BatchSizeMean.ToString("F1", CultureInfo.InvariantCulture), "images per ONNX run in the pipeline");
        table.AddRow("scheduler warnings", report.SchedulerWarnings.ToString(CultureInfo.InvariantCulture), report.FirstSchedulerWarning is null ? "none" : Markup.Escape(report.FirstSchedulerWarning));
        console.Write(table);
    }
}
