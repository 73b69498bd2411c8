using System.CommandLine;
using MLwatch.Cli.Console;
using MLwatch.Cli.Producing;
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
        var command = new Command("produce", "Produce images to Kafka in the MLwatch wire format.") { bootstrap, topic, count, rate, source, shift, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ImageSources.TryOpen(parse.GetValue(source)!, parse.GetValue(shift)!, parse.GetValue(seed), out var images, out var error))
            {
                await System.Console.Error.WriteLineAsync(error);
                return 2;
            }

            var total = parse.GetValue(count);
            using var producer = new ImageProducer(parse.GetValue(bootstrap)!, parse.GetValue(topic)!);
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

    private static string Describe(IImageSource images) => images is ShiftedImageSource shifted ? $"images shifted by {shifted.Description}" : "images";
}
