using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using MLwatch.Cli.Console;
using MLwatch.Cli.Demo;
using MLwatch.Cli.Producing;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch demo: broker, silo and API in one process, fed with the Fashion-MNIST test set.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Images to produce (the 10,000-image test set is cycled).", DefaultValueFactory = _ => 10_000 };
        var rate = new Option<double>("--rate") { Description = "Records per second; 0 = as fast as possible.", DefaultValueFactory = _ => 500 };
        var exit = new Option<bool>("--exit") { Description = "Quit once all records are aggregated instead of serving until Ctrl-C." };
        var json = CommonOptions.Json();
        var config = CommonOptions.Config();
        var shift = CommonOptions.Shift();
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "Run everything in one process (embedded Kafka broker, silo, in-memory state, API on http://127.0.0.1:5080) and stream the Fashion-MNIST test set through it.")
        {
            count,
            rate,
            exit,
            json,
            config,
            shift,
            seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ImageSources.TryOpen(ImageSources.FashionMnist, parse.GetValue(shift)!, parse.GetValue(seed), out var images, out var error))
            {
                await System.Console.Error.WriteLineAsync(error);
                return 2;
            }

            var asJson = parse.GetValue(json);
            var console = Terminal.ForHumans(asJson);
            var profile = parse.GetValue(config) ?? MLwatchConfiguration.LocateProfile("local");
            await using var app = MLwatchSiloHost.Build(profile);
            console.MarkupLine("[grey]Starting the silo…[/]");
            await app.StartAsync(cancellationToken);
            var runner = new DemoRunner(app.Services, console);
            var report = await runner.RunAsync(images, parse.GetValue(count), parse.GetValue(rate), cancellationToken);
            runner.Render(report);
            if (asJson)
            {
                System.Console.Out.WriteLine(JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
                await System.Console.Out.FlushAsync(cancellationToken);
            }

            if (!parse.GetValue(exit))
            {
                console.MarkupLine($"Serving the API at [link]{string.Join(", ", app.Urls)}[/] (try /api/models/fashion-mnist/labels). Ctrl-C stops.");
                await app.WaitForShutdownAsync(cancellationToken);
            }

            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
