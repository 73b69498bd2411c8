using System.CommandLine;
using MLwatch.Cli.Console;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Pacing;
using MLwatch.Cli.Producing.Shifts;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch produce: sends images to the requests topic with ground-truth headers.</summary>
public static class ProduceCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092.", Required = true };
        var topic = CommonOptions.Topic();
        var count = new Option<int>("--count") { Description = "Records to produce (the source is cycled).", DefaultValueFactory = _ => 10_000 };
        var rate = new Option<double>("--rate") { Description = "Records per second; 0 = as fast as possible.", DefaultValueFactory = _ => 0 };
        var source = new Option<string>("--source") { Description = "fashion-mnist (the committed test set) or a directory of images (sub-folder = true label).", DefaultValueFactory = _ => ImageSources.FashionMnist };
        var shift = CommonOptions.Shift();
        var seed = CommonOptions.Seed();
        var pace = new Option<ProducePacing>("--pace")
        {
            Description = "auto: on the embedded broker (mlwatch broker, demo), which keeps only 5 MiB per partition, wait until the consumer group has committed what it was sent, so no record is deleted unread; lag: always; off: never (only --rate limits).",
            DefaultValueFactory = _ => ProducePacing.Auto,
        };
        var group = new Option<string>("--group") { Description = "Consumer group whose commits pace the producer (the silos' Kafka:ConsumerGroup).", DefaultValueFactory = _ => "mlwatch" };
        var model = new Option<string?>("--model") { Description = "Model to ask for (the mlwatch-model header); default: the silos' default model." };
        var paths = new Option<bool>("--paths") { Description = "Send each image's absolute file path (content-type text/uri-list) instead of its bytes; needs --source DIR inside the silos' Ingest:AllowedRoots." };
        var command = new Command("produce", "Produce images to Kafka in the MLwatch wire format.") { bootstrap, topic, count, rate, source, shift, seed, pace, group, model, paths };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ImageSources.TryOpen(parse.GetValue(source)!, parse.GetValue(shift)!, parse.GetValue(seed), out var images, out var error))
            {
                await System.Console.Error.WriteLineAsync(error);
                return 2;
            }

            var total = parse.GetValue(count);
            var servers = parse.GetValue(bootstrap)!;
            using var pacer = await StartPacerAsync(parse.GetValue(pace), servers, parse.GetValue(topic)!, parse.GetValue(group)!);
            if (pacer is not null)
            {
                await System.Console.Error.WriteLineAsync(
                    $"Pacing by consumer group '{pacer.Group}': the embedded broker keeps only the last 5 MiB (and 100,000 records) of each partition, read or not, " +
                    $"so at most {pacer.Ledger.MaxBytes / 1048576.0:F0} MiB per partition is sent ahead of its commits.");
            }

            using var producer = new ImageProducer(servers, parse.GetValue(topic)!, pacer, parse.GetValue(model), parse.GetValue(paths));
            var started = DateTime.UtcNow;
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"Producing {Markup.Escape(Describe(images))} to {parse.GetValue(topic)}", maxValue: total);
                await producer.ProduceAsync(images, total, parse.GetValue(rate), new Progress<int>(n => task.Value = n), cancellationToken);
                task.Value = total;
            });
            var seconds = (DateTime.UtcNow - started).TotalSeconds;
            AnsiConsole.MarkupLine($"Produced [green]{total}[/] records in {seconds:F1} s ({total / Math.Max(seconds, 1e-3):F0} records/s).");
            return 0;
        });
        return command;
    }

    private static async Task<ConsumerLagPacer?> StartPacerAsync(ProducePacing pacing, string bootstrapServers, string topic, string group)
    {
        var paced = pacing switch
        {
            ProducePacing.Lag => true,
            ProducePacing.Off => false,
            _ => await BrokerProbe.IsEmbeddedBrokerAsync(bootstrapServers, TimeSpan.FromSeconds(15)),
        };
        return paced ? ConsumerLagPacer.Start(bootstrapServers, topic, group, System.Console.Error) : null;
    }

    private static string Describe(IImageSource images) => images is ShiftedImageSource shifted ? $"images shifted by {shifted.Description}" : "images";
}
