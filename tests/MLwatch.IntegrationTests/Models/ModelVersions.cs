using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Models;

/// <summary>What the model-version tests share: models roots, publishing, reading the registry, counts per version and the predictions topic.</summary>
internal static class ModelVersions
{
    public const string AdminKey = "models-test-admin-key";

    public const string Model = "fashion-mnist";

    /// <summary>The committed version 2 (models/fashion-mnist/2).</summary>
    public static string Version2Directory => Path.Combine(FashionMnistImages.ModelDirectory, "2");

    /// <summary>A models root of its own holding fashion-mnist version 1 only (as before any publish), under <paramref name="parent"/>.</summary>
    public static string CopyVersion1Root(string parent)
    {
        var model = Directory.CreateDirectory(Path.Combine(parent, "models-" + Guid.NewGuid().ToString("N")[..8], Model)).FullName;
        foreach (var file in new[] { "config.json", "labels.txt", "reference.json", "metrics.json" })
        {
            File.Copy(Path.Combine(FashionMnistImages.ModelDirectory, file), Path.Combine(model, file));
        }

        Directory.CreateDirectory(Path.Combine(model, "1"));
        File.Copy(Path.Combine(FashionMnistImages.ModelDirectory, "1", "model.onnx"), Path.Combine(model, "1", "model.onnx"));
        return Path.GetDirectoryName(model)!;
    }

    /// <summary>POSTs a multipart publish of <paramref name="onnx"/> (and the files of <paramref name="directory"/>, when given) as <paramref name="version"/>.</summary>
    public static async Task<HttpResponseMessage> PublishAsync(HttpClient api, string version, byte[] onnx, string? directory = null, bool activate = true)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(version), "version" },
            { new StringContent("models-test"), "by" },
            { new StringContent(activate ? "true" : "false"), "activate" },
            { FilePart(onnx), "onnx", "model.onnx" },
        };
        foreach (var (part, name) in new[] { ("config", "config.json"), ("labels", "labels.txt"), ("reference", "reference.json"), ("metrics", "metrics.json") })
        {
            if (directory is not null && File.Exists(Path.Combine(directory, name)))
            {
                form.Add(FilePart(File.ReadAllBytes(Path.Combine(directory, name))), part, name);
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/models/{Model}/versions") { Content = form };
        request.Headers.Add("X-Api-Key", AdminKey);
        // Awaited here: the request (and its content) is disposed when this method returns.
        return await api.SendAsync(request);
    }

    /// <summary>The control record a Kafka client writes to publish the committed version 2 (the model as data).</summary>
    public static Message<byte[], byte[]> Version2Record(string by) => new()
    {
        Key = Encoding.UTF8.GetBytes(Model),
        Value = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "publish",
            model = Model,
            version = "2",
            by,
            activate = true,
            onnx = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(Version2Directory, "model.onnx"))),
            config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Version2Directory, "config.json"))).RootElement,
            reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Version2Directory, "reference.json"))).RootElement,
            metrics = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Version2Directory, "metrics.json"))).RootElement,
        }),
    };

    /// <summary>GET /api/models/fashion-mnist/versions; null when the silo cannot answer now.</summary>
    public static async Task<JsonElement?> TryGetRegistryAsync(HttpClient api)
    {
        try
        {
            return await api.GetFromJsonAsync<JsonElement>($"api/models/{Model}/versions");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Which version each silo reports it serves, by silo address.</summary>
    public static IReadOnlyDictionary<string, string> Serving(JsonElement registry) =>
        registry.GetProperty("silos").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetProperty("version").GetString()!);

    /// <summary>Predictions counted for <paramref name="version"/> (the sum of its label counts); null when the silo cannot answer now.</summary>
    public static async Task<long?> TryGetTotalAsync(HttpClient api, string version)
    {
        try
        {
            var labels = await api.GetFromJsonAsync<JsonElement>($"api/models/{Model}/labels?version={version}");
            return labels.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Every record of the predictions topic, read until <paramref name="expected"/> distinct request ids were seen or nothing new arrives for 20 s.</summary>
    public static List<Prediction> ReadPredictions(string bootstrapServers, long expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "models-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("mlwatch.predictions");
        var predictions = new List<Prediction>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var quietSince = DateTime.UtcNow;
        while (ids.Count < expected && DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(20))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message.Value: { } value })
            {
                var prediction = JsonSerializer.Deserialize<Prediction>(value, SiloUnderTest.ApiJson)!;
                predictions.Add(prediction);
                ids.Add(prediction.RequestId);
                quietSince = DateTime.UtcNow;
            }
        }

        consumer.Close();
        return predictions;
    }

    /// <summary>
    /// The pause at the switch from version 1 to 2: on each silo, from the last prediction of version 1 to the first of
    /// version 2 after it (negative when batches of both overlapped), and the longest gap between consecutive predictions
    /// of the whole cluster within 5 s either side of the first version-2 prediction.
    /// </summary>
    public static string DescribeSwitchPause(IReadOnlyList<Prediction> predictions, out double longestGapMs)
    {
        var firstV2 = predictions.Where(p => p.Version == "2").Min(p => p.At);
        var around = predictions.Where(p => Math.Abs(p.At - firstV2) <= 5000).Select(p => p.At).Order().ToList();
        longestGapMs = around.Zip(around.Skip(1), (a, b) => b - a).DefaultIfEmpty(0).Max();
        // For comparison: the same measure over the 10 s before, when only version 1 served.
        var before = predictions.Where(p => p.At < firstV2 - 5000 && p.At >= firstV2 - 15000).Select(p => p.At).Order().ToList();
        var usualGapMs = before.Zip(before.Skip(1), (a, b) => b - a).DefaultIfEmpty(0).Max();
        var perSilo = predictions.GroupBy(p => p.Silo).Select(silo =>
        {
            var firstNew = silo.Where(p => p.Version == "2").Select(p => p.At).DefaultIfEmpty(long.MaxValue).Min();
            var lastOld = silo.Where(p => p.Version == "1" && p.At <= firstNew).Select(p => p.At).DefaultIfEmpty(long.MinValue).Max();
            return firstNew == long.MaxValue || lastOld == long.MinValue ? $"{silo.Key}: no switch seen" : $"{silo.Key}: {firstNew - lastOld} ms from its last v1 to its first v2 prediction";
        });
        return $"longest gap between predictions within ±5 s of the switch: {longestGapMs} ms ({around.Count} predictions; over the 10 s before, {usualGapMs} ms); {string.Join("; ", perSilo)}";
    }

    private static ByteArrayContent FilePart(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>One record of the predictions topic.</summary>
    public sealed record Prediction(string RequestId, string Model, string Version, string Label, int LabelIndex, float Confidence, float? LatencyMs, string Silo, long At, int Partition, long Offset);
}
