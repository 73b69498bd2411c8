using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch query: reads live statistics through a silo's HTTP API.</summary>
public static class QueryCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model name.", DefaultValueFactory = _ => "fashion-mnist" };
        var json = CommonOptions.Json();
        var api = new Option<string>("--api")
        {
            Description = "Base URL of a silo's HTTP API (env MLWATCH_API).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MLWATCH_API") ?? "http://127.0.0.1:5080",
        };
        var labels = new Command("labels", "Per-label counts and confidence of a model.") { model, json, api };
        labels.SetAction(async (parse, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(api)!) };
            var path = $"api/models/{Uri.EscapeDataString(parse.GetValue(model)!)}/labels";
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(path, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                await System.Console.Error.WriteLineAsync($"Cannot reach the MLwatch API at {http.BaseAddress} ({exception.Message}). Start a silo (mlwatch silo or mlwatch demo) or pass --api.");
                return 2;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await System.Console.Error.WriteLineAsync($"{(int)response.StatusCode} from {http.BaseAddress}{path}: {body}");
                return 1;
            }

            if (parse.GetValue(json))
            {
                System.Console.WriteLine(body);
                return 0;
            }

            RenderLabels(JsonDocument.Parse(body).RootElement);
            return 0;
        });

        return new Command("query", "Query live grain state of a running cluster.") { labels };
    }

    private static void RenderLabels(JsonElement stats)
    {
        var table = new Table().Title($"{stats.GetProperty("model").GetString()}@{stats.GetProperty("version").GetString()} — {stats.GetProperty("total").GetInt64()} predictions");
        table.AddColumns("Label", "Count", "Share", "Mean conf.", "Min", "Max");
        foreach (var label in stats.GetProperty("labels").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(label.GetProperty("label").GetString()!),
                label.GetProperty("count").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                label.GetProperty("share").GetDouble().ToString("P1", System.Globalization.CultureInfo.InvariantCulture),
                label.GetProperty("meanConfidence").GetDouble().ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
                label.GetProperty("minConfidence").GetDouble().ToString("F3", System.Globalization.CultureInfo.InvariantCulture),
                label.GetProperty("maxConfidence").GetDouble().ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }
}
