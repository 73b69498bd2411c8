using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch models: list, publish, activate, promote and roll back model versions, and read shadow comparisons, through a silo's HTTP API.</summary>
public static class ModelsCommand
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
        var key = new Option<string?>("--key")
        {
            Description = "The admin key (Api:AdminKey) for publish, activate and rollback (env MLWATCH_API_KEY).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MLWATCH_API_KEY"),
        };
        var by = new Option<string>("--by")
        {
            Description = "Who publishes, activates or rolls back, as the registry records it (default: $USER).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("USER") ?? Environment.UserName,
        };

        var list = new Command("list", "Versions of a model: state, metadata, which silo serves which, and the history.") { model, json, api, key };
        list.SetAction((parse, ct) => SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Get, Path(parse.GetValue(model)!, "versions"), null, parse.GetValue(json), ct));

        var version = new Option<string>("--version") { Description = "The version to publish or activate.", Required = true };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "A version folder to upload: model.onnx and any of config.json, labels.txt, reference.json, metrics.json." };
        var onnx = new Option<FileInfo?>("--onnx") { Description = "model.onnx to upload (instead of --dir)." };
        var config = new Option<FileInfo?>("--config") { Description = "The version's config.json (only what differs from the model's)." };
        var labels = new Option<FileInfo?>("--labels") { Description = "The version's labels.txt." };
        var reference = new Option<FileInfo?>("--reference") { Description = "The version's reference.json." };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "The version's metrics.json (model card figures)." };
        var location = new Option<string?>("--location") { Description = "A directory inside the silos' Ingest:AllowedRoots that every silo can read, instead of uploading." };
        var noActivate = new Option<bool>("--no-activate") { Description = "Keep the version a candidate once validated instead of serving it." };
        var publish = new Command("publish", "Publish a version; every silo validates it, and it is served once validated (unless --no-activate).")
        {
            model, version, directory, onnx, config, labels, reference, metrics, location, noActivate, by, json, api, key,
        };
        publish.SetAction((parse, ct) =>
        {
            var path = Path(parse.GetValue(model)!, "versions");
            if (parse.GetValue(location) is { } where)
            {
                var body = JsonContent.Create(new { version = parse.GetValue(version), location = where, by = parse.GetValue(by), activate = !parse.GetValue(noActivate) });
                return SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Post, path, body, parse.GetValue(json), ct);
            }

            var folder = parse.GetValue(directory);
            FileInfo? Pick(Option<FileInfo?> option, string name) =>
                parse.GetValue(option) ?? (folder is null ? null : new FileInfo(System.IO.Path.Combine(folder.FullName, name)) is { Exists: true } file ? file : null);
            var graph = Pick(onnx, "model.onnx");
            if (graph is not { Exists: true })
            {
                System.Console.Error.WriteLine("Give --dir (a folder with model.onnx), --onnx FILE or --location DIR.");
                return Task.FromResult(1);
            }

            var form = new MultipartFormDataContent
            {
                { new StringContent(parse.GetValue(version)!), "version" },
                { new StringContent(parse.GetValue(by)!), "by" },
                { new StringContent(parse.GetValue(noActivate) ? "false" : "true"), "activate" },
            };
            foreach (var (part, file) in new[] { ("onnx", graph), ("config", Pick(config, "config.json")), ("labels", Pick(labels, "labels.txt")), ("reference", Pick(reference, "reference.json")), ("metrics", Pick(metrics, "metrics.json")) })
            {
                if (file is not null)
                {
                    var content = new ByteArrayContent(File.ReadAllBytes(file.FullName));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(content, part, file.Name);
                }
            }

            return SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Post, path, form, parse.GetValue(json), ct);
        });

        var activateVersion = new Option<string>("--version") { Description = "The version to serve.", Required = true };
        var activate = new Command("activate", "Serve a validated version (each silo switches between batches).") { model, activateVersion, by, json, api, key };
        activate.SetAction((parse, ct) => SendAsync(
            parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Post, Path(parse.GetValue(model)!, "activate"),
            JsonContent.Create(new { version = parse.GetValue(activateVersion), by = parse.GetValue(by) }), parse.GetValue(json), ct));

        var rollback = new Command("rollback", "Serve the version that was active before the current one.") { model, by, json, api, key };
        rollback.SetAction((parse, ct) => SendAsync(
            parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Post, Path(parse.GetValue(model)!, "rollback"),
            JsonContent.Create(new { by = parse.GetValue(by) }), parse.GetValue(json), ct));

        var promote = new Command("promote", "Serve the candidate version (the one shadowed beside the active version) in one call.") { model, by, json, api, key };
        promote.SetAction((parse, ct) => SendAsync(
            parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Post, Path(parse.GetValue(model)!, "promote"),
            JsonContent.Create(new { by = parse.GetValue(by) }), parse.GetValue(json), ct));

        var shadow = new Command("shadow", "How the candidate, scoring every record beside the active version, compares with it: agreement, confusion, confidence, accuracies.") { model, json, api, key };
        shadow.SetAction((parse, ct) => SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Get, Path(parse.GetValue(model)!, "shadow"), null, parse.GetValue(json), ct, RenderShadow));

        
        var statsModel = new Argument<string>("MODEL") { Description = "Model name." };
        var statsVersion = new Argument<string?>("VERSION") { Description = "A version; every version when left out.", Arity = ArgumentArity.ZeroOrOne };
        var stats = new Command("stats", "Serving statistics of a model's versions over all silos: records, errors, latency percentiles, batch sizes, per silo.")
        {
            statsModel, statsVersion, json, api, key,
        };
        stats.SetAction((parse, ct) => parse.GetValue(statsVersion) is { } one
            ? SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Get, Path(parse.GetValue(statsModel)!, $"versions/{Uri.EscapeDataString(one)}/stats"), null, parse.GetValue(json), ct, RenderStats)
            : SendAsync(parse.GetValue(api)!, parse.GetValue(key), HttpMethod.Get, Path(parse.GetValue(statsModel)!, "versions"), null, parse.GetValue(json), ct, RenderAllStats));

        return new Command("models", "Model versions: list, publish, activate, promote, rollback, shadow, serving statistics (through a silo's HTTP API).") { list, publish, activate, promote, rollback, shadow, stats };
    }

    private static string Path(string model, string what) => $"api/models/{Uri.EscapeDataString(model)}/{what}";

    /// <summary>Sends the request and prints the registry (or what <paramref name="render"/> renders; --json: the body).</summary>
    private static Task<int> SendAsync(
        string baseAddress, string? key, HttpMethod method, string path, HttpContent? content, bool json, CancellationToken cancellationToken, Action<JsonElement>? render = null) =>
        // Publishing waits for the silos' validation (Models:CommandTimeout on the silo).
        ApiCall.SendAsync(baseAddress, method, path, render ?? Render, json, cancellationToken, key, content, TimeSpan.FromMinutes(3));

    private static void Render(JsonElement registry)
    {
        var title = $"{registry.GetProperty("model").GetString()}: active {Text(registry.GetProperty("active"))}, previous {Text(registry.GetProperty("previous"))}, this silo serves {Text(registry.GetProperty("servedHere"))}";
        var versions = new Table().Title(Markup.Escape(title));
        versions.AddColumns("Version", "State", "Source", "By", "Created", "Quality", "Input", "Output", "SHA-256", "Served", "p50 ms", "p99 ms", "Errors", "Note");
        foreach (var version in registry.GetProperty("versions").EnumerateArray())
        {
            var quality = version.GetProperty("quality");
            versions.AddRow(
                Markup.Escape(version.GetProperty("version").GetString()!),
                Markup.Escape(version.GetProperty("state").ToString()),
                Markup.Escape(version.GetProperty("source").GetString()!),
                Markup.Escape(Text(version.GetProperty("publishedBy"))),
                version.GetProperty("createdAt").GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", Invariant),
                quality.ValueKind == JsonValueKind.Object ? Markup.Escape($"{quality.GetProperty("metric").GetString()} {quality.GetProperty("value").GetDouble():F4}") : "–",
                Markup.Escape(Text(version.GetProperty("input").GetProperty("shape"))),
                Markup.Escape(Text(version.GetProperty("output").GetProperty("shape"))),
                Markup.Escape(Text(version.GetProperty("sha256")) is { Length: > 12 } sha ? sha[..12] : "–"),
                Count(version, "count"),
                Ms(version, "p50Ms"),
                Ms(version, "p99Ms"),
                Count(version, "errors"),
                Markup.Escape(Text(version.GetProperty("stateReason"))));
        }

        AnsiConsole.Write(versions);
        var history = new Table().Title("History (newest first)");
        history.AddColumns("At", "Event", "Version", "Silo", "By", "Message");
        foreach (var entry in registry.GetProperty("events").EnumerateArray().Take(20))
        {
            history.AddRow(
                entry.GetProperty("at").GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", Invariant),
                Markup.Escape(entry.GetProperty("kind").GetString()!),
                Markup.Escape(Text(entry.GetProperty("version"))),
                Markup.Escape(Text(entry.GetProperty("silo"))),
                Markup.Escape(Text(entry.GetProperty("by"))),
                Markup.Escape(entry.GetProperty("message").GetString()!));
        }

        AnsiConsole.Write(history);
    }

    private static void RenderShadow(JsonElement report)
    {
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{report.GetProperty("model").GetString()}: active {Text(report.GetProperty("active"))}, candidate {Text(report.GetProperty("candidate"))}, " +
            (report.GetProperty("shadowing").GetBoolean() ? "shadowed" : "not shadowed")));
        foreach (var comparison in report.GetProperty("comparisons").EnumerateArray())
        {
            var (active, candidate) = (comparison.GetProperty("active").GetString(), comparison.GetProperty("candidate").GetString());
            var windows = new Table().Title(Markup.Escape($"v{active} (active) vs v{candidate} (candidate){(comparison.GetProperty("current").GetBoolean() ? ", current" : "")}"));
            windows.AddColumns("Window", "Compared", "Agreed", "Agreement", "Mean conf. diff", "Labeled", $"Accuracy v{active}", $"Accuracy v{candidate}");
            foreach (var window in comparison.GetProperty("windows").EnumerateArray().Reverse().Take(10).Append(comparison.GetProperty("total")))
            {
                windows.AddRow(
                    window.GetProperty("start") is { ValueKind: JsonValueKind.String } start ? start.GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", Invariant) : "total",
                    window.GetProperty("compared").ToString(),
                    window.GetProperty("agreed").ToString(),
                    window.GetProperty("agreementRate").GetDouble().ToString("P2", Invariant),
                    window.GetProperty("meanConfidenceDifference").GetDouble().ToString("+0.0000;-0.0000", Invariant),
                    window.GetProperty("labeled").ToString(),
                    Percent(window.GetProperty("activeAccuracy")),
                    Percent(window.GetProperty("candidateAccuracy")));
            }

            AnsiConsole.Write(windows);
            var labels = comparison.GetProperty("labels") is { ValueKind: JsonValueKind.Array } names ? names.EnumerateArray().Select(n => n.GetString()!).ToList() : [];
            var rows = comparison.GetProperty("total").GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToList();
            var confusion = new Table().Title(Markup.Escape($"Confusion, all records: rows v{active}, columns v{candidate}"));
            string Name(int index) => index < labels.Count ? labels[index] : index.ToString(Invariant);
            confusion.AddColumns([string.Empty, .. Enumerable.Range(0, rows.Count).Select(n => Markup.Escape(Name(n)))]);
            for (var a = 0; a < rows.Count; a++)
            {
                confusion.AddRow([Markup.Escape(Name(a)), .. rows[a].Select(c => c.ToString(Invariant))]);
            }

            AnsiConsole.Write(confusion);
        }
    }

    private static string Percent(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("P2", Invariant) : "–";

    private static void RenderAllStats(JsonElement registry)
    {
        foreach (var version in registry.GetProperty("versions").EnumerateArray())
        {
            if (version.TryGetProperty("serving", out var serving) && serving.ValueKind == JsonValueKind.Object)
            {
                RenderStats(serving);
            }
        }
    }

    private static void RenderStats(JsonElement stats)
    {
        double Number(JsonElement parent, string name) => parent.GetProperty(name).GetDouble();
        var endToEnd = stats.GetProperty("endToEnd");
        var since = stats.GetProperty("since");
        var summary = new Table().Title(Markup.Escape($"{stats.GetProperty("model").GetString()}@{stats.GetProperty("version").GetString()} since {(since.ValueKind == JsonValueKind.Null ? "–" : since.GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", Invariant))}"));
        summary.AddColumns("Figure", "Value");
        foreach (var (figure, value) in new (string, string)[]
        {
            ("Records classified", stats.GetProperty("count").GetInt64().ToString(Invariant)),
            ("Errors (refused by the model)", stats.GetProperty("errors").GetInt64().ToString(Invariant)),
            ("Executor time total / min / mean / max ms", FormattableString.Invariant($"{Number(stats, "totalMs"):F1} / {Number(stats, "minMs"):F2} / {Number(stats, "meanMs"):F2} / {Number(stats, "maxMs"):F2}")),
            ("Executor time p50 / p95 / p99 ms", FormattableString.Invariant($"{Number(stats, "p50Ms"):F2} / {Number(stats, "p95Ms"):F2} / {Number(stats, "p99Ms"):F2}")),
            ("End to end p50 / p95 / p99 ms", FormattableString.Invariant($"{Number(endToEnd, "p50Ms"):F1} / {Number(endToEnd, "p95Ms"):F1} / {Number(endToEnd, "p99Ms"):F1}")),
            ("Batches / mean size", FormattableString.Invariant($"{stats.GetProperty("batches").GetInt64()} / {Number(stats, "batchSizeMean"):F2}")),
        })
        {
            summary.AddRow(Markup.Escape(figure), Markup.Escape(value));
        }

        if (stats.TryGetProperty("batchSizes", out var sizes) && sizes.ValueKind == JsonValueKind.Object)
        {
            summary.AddRow("Batches by size", Markup.Escape(string.Join(", ", sizes.EnumerateObject().Select(s => $"{s.Name}: {s.Value}"))));
        }

        AnsiConsole.Write(summary);
        var silos = new Table().Title("Per silo");
        silos.AddColumns("Silo", "Records", "Errors");
        foreach (var silo in stats.GetProperty("perSilo").EnumerateObject())
        {
            silos.AddRow(Markup.Escape(silo.Name), silo.Value.GetProperty("count").ToString(), silo.Value.GetProperty("errors").ToString());
        }

        AnsiConsole.Write(silos);
    }

    private static string Count(JsonElement version, string name) =>
        version.TryGetProperty("serving", out var serving) && serving.ValueKind == JsonValueKind.Object ? serving.GetProperty(name).ToString() : "–";

    private static string Ms(JsonElement version, string name) =>
        version.TryGetProperty("serving", out var serving) && serving.ValueKind == JsonValueKind.Object && serving.GetProperty("count").GetInt64() > 0
            ? serving.GetProperty(name).GetDouble().ToString("F2", Invariant)
            : "–";

    private static string Text(JsonElement value) => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? "–" : value.ToString();
}
