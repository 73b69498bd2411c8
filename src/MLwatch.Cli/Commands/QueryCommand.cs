using System.CommandLine;
using System.Text.Json;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch query: reads live statistics through a silo's HTTP API.</summary>
public static class QueryCommand
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

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
        labels.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(api)!, $"api/models/{Uri.EscapeDataString(parse.GetValue(model)!)}/labels", parse.GetValue(json), RenderLabels, cancellationToken));

        var drift = new Command("drift", "Recent monitoring windows of a model compared with its reference profile.") { model, json, api };
        drift.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(api)!, $"api/models/{Uri.EscapeDataString(parse.GetValue(model)!)}/drift", parse.GetValue(json), RenderDrift, cancellationToken));

        var alertsModel = new Option<string?>("--model") { Description = "Only this model's alerts (default: every model)." };
        var active = new Option<bool>("--active") { Description = "Only alerts raised and not cleared." };
        var alerts = new Command("alerts", "Drift and accuracy alerts, newest first.") { alertsModel, active, json, api };
        alerts.SetAction((parse, cancellationToken) =>
        {
            var query = new List<string>();
            if (parse.GetValue(alertsModel) is { } name)
            {
                query.Add($"model={Uri.EscapeDataString(name)}");
            }

            if (parse.GetValue(active))
            {
                query.Add("active=true");
            }

            var path = query.Count == 0 ? "api/alerts" : $"api/alerts?{string.Join('&', query)}";
            return RunAsync(parse.GetValue(api)!, path, parse.GetValue(json), RenderAlerts, cancellationToken);
        });

        return new Command("query", "Query live grain state of a running cluster.") { labels, drift, alerts };
    }

    /// <summary>GETs <paramref name="path"/> and prints the body (--json) or renders it.</summary>
    private static Task<int> RunAsync(string baseAddress, string path, bool json, Action<JsonElement> render, CancellationToken cancellationToken) =>
        ApiCall.SendAsync(baseAddress, HttpMethod.Get, path, render, json, cancellationToken);

    private static void RenderLabels(JsonElement stats)
    {
        var table = new Table().Title($"{stats.GetProperty("model").GetString()}@{stats.GetProperty("version").GetString()} — {stats.GetProperty("total").GetInt64()} predictions");
        table.AddColumns("Label", "Count", "Share", "Mean conf.", "Min", "Max");
        foreach (var label in stats.GetProperty("labels").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(label.GetProperty("label").GetString()!),
                label.GetProperty("count").GetInt64().ToString("N0", Invariant),
                label.GetProperty("share").GetDouble().ToString("P1", Invariant),
                label.GetProperty("meanConfidence").GetDouble().ToString("F4", Invariant),
                label.GetProperty("minConfidence").GetDouble().ToString("F3", Invariant),
                label.GetProperty("maxConfidence").GetDouble().ToString("F3", Invariant));
        }

        AnsiConsole.Write(table);
    }

    private static void RenderDrift(JsonElement drift)
    {
        var title = $"{drift.GetProperty("model").GetString()}@{drift.GetProperty("version").GetString()} — {drift.GetProperty("predictions").GetInt64():N0} predictions, " +
            $"open window {drift.GetProperty("openWindowCount").GetInt32()}/{drift.GetProperty("windowSize").GetInt32()}";
        if (!drift.GetProperty("hasReference").GetBoolean())
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(drift.GetProperty("reference").GetString()!)}[/]");
        }

        var table = new Table().Title(Markup.Escape(title));
        table.AddColumns("Window", "Closed", "Count", "JS", "PSI", "χ² p", "KS", "KS p", "Wasserstein", "Est. acc.", "Real. acc.", "Breaches");
        foreach (var window in drift.GetProperty("windows").EnumerateArray().Reverse().Take(20))
        {
            var realized = window.GetProperty("realizedAccuracy");
            table.AddRow(
                window.GetProperty("window").GetInt64().ToString(Invariant),
                window.GetProperty("closedAt").GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", Invariant),
                window.GetProperty("count").GetInt32().ToString(Invariant),
                window.GetProperty("jensenShannon").GetDouble().ToString("F3", Invariant),
                window.GetProperty("psi").GetDouble().ToString("F3", Invariant),
                window.GetProperty("chiSquarePValue").GetDouble().ToString("G3", Invariant),
                window.GetProperty("kolmogorovSmirnov").GetDouble().ToString("F3", Invariant),
                window.GetProperty("kolmogorovSmirnovPValue").GetDouble().ToString("G3", Invariant),
                window.GetProperty("wasserstein").GetDouble().ToString("F4", Invariant),
                window.GetProperty("estimatedAccuracy").GetDouble().ToString("F3", Invariant),
                realized.ValueKind == JsonValueKind.Number ? realized.GetDouble().ToString("F3", Invariant) : "–",
                Markup.Escape(string.Join(", ", window.GetProperty("breaches").EnumerateArray().Select(b => b.GetString()))));
        }

        AnsiConsole.Write(table);
        RenderAlerts(drift.GetProperty("activeAlerts"));
    }

    private static void RenderAlerts(JsonElement alerts)
    {
        if (alerts.GetArrayLength() == 0)
        {
            AnsiConsole.MarkupLine("[green]No alerts.[/]");
            return;
        }

        var table = new Table().Title("Alerts");
        table.AddColumns("At", "Model", "Kind", "State", "Window", "Metric", "Value", "Threshold", "Message");
        foreach (var alert in alerts.EnumerateArray())
        {
            var raised = alert.GetProperty("state").GetString() == WireEnums.Name(AlertState.Raised);
            table.AddRow(
                alert.GetProperty("at").GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", Invariant),
                Markup.Escape($"{alert.GetProperty("model").GetString()}@{alert.GetProperty("version").GetString()}"),
                Markup.Escape(alert.GetProperty("kind").GetString()!),
                raised ? "[red]raised[/]" : "[green]cleared[/]",
                alert.GetProperty("window").GetInt64().ToString(Invariant),
                Markup.Escape(alert.GetProperty("metric").GetString()!),
                alert.GetProperty("value").GetDouble().ToString("G4", Invariant),
                alert.GetProperty("threshold").GetDouble().ToString("G4", Invariant),
                Markup.Escape(alert.GetProperty("message").GetString()!));
        }

        AnsiConsole.Write(table);
    }
}
