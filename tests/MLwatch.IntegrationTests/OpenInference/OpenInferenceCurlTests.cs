using System.Text.Json;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>The Open Inference Protocol endpoints driven with the real curl binary, as the README shows them.</summary>
public sealed class OpenInferenceCurlTests(ITestOutputHelper output) : SiloOnTestBroker
{
    [Fact]
    public async Task Curl_gets_health_and_metadata_and_an_infer_call_answers_the_label_with_the_request_id_echoed()
    {
        SystemCommand.Require("curl", "curl");
        var api = Silo.Api.BaseAddress!.ToString().TrimEnd('/');

        var (liveStatus, _) = Curl($"{api}/v2/health/live");
        Assert.Equal(200, liveStatus);
        await Eventually.ReachAsync(() => Task.FromResult(Curl($"{api}/v2/health/ready").Status), status => status == 200, "the silo ready to infer");
        Assert.Equal(200, Curl($"{api}/v2/models/fashion-mnist/ready").Status);

        var (metadataStatus, metadata) = Curl($"{api}/v2/models/fashion-mnist");
        Assert.Equal(200, metadataStatus);
        Assert.Equal("fashion-mnist", metadata.GetProperty("name").GetString());
        Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
        var inputs = metadata.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => (Type: i.GetProperty("datatype").GetString(), Shape: string.Join(",", i.GetProperty("shape").EnumerateArray())));
        Assert.Equal(("BYTES", "-1"), inputs["image"]);
        Assert.Equal(("FP32", "-1,1,28,28"), inputs["input"]);

        var body = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(body, JsonSerializer.Serialize(new
            {
                id = "curl-1",
                inputs = new[] { new { name = "image", shape = new[] { 1 }, datatype = "BYTES", data = new[] { Convert.ToBase64String(FashionMnistImages.TestSet.EncodePng(3)) } } },
                parameters = new { top_k = 3 },
            }));
            var (status, response) = Curl($"{api}/v2/models/fashion-mnist/infer", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + body);

            output.WriteLine($"curl -X POST {api}/v2/models/fashion-mnist/infer -> {status} {response}");
            Assert.Equal(200, status);
            Assert.Equal("fashion-mnist", response.GetProperty("model_name").GetString());
            Assert.Equal(FashionMnistImages.Model.Version, response.GetProperty("model_version").GetString());
            Assert.Equal("curl-1", response.GetProperty("id").GetString());
            var outputs = response.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
            Assert.Equal(OipRequests.ExpectedLabels(4)[3], outputs["label"].GetProperty("data")[0].GetString());
            Assert.Equal("BYTES", outputs["label"].GetProperty("datatype").GetString());
            Assert.Equal("FP32", outputs["confidence"].GetProperty("datatype").GetString());
            Assert.Equal("1,3", string.Join(",", outputs["top_k_labels"].GetProperty("shape").EnumerateArray()));
            Assert.Equal(outputs["label"].GetProperty("data")[0].GetString(), outputs["top_k_labels"].GetProperty("data")[0].GetString());
            Assert.Equal(outputs["confidence"].GetProperty("data")[0].GetSingle(), outputs["top_k_scores"].GetProperty("data")[0].GetSingle(), 1e-5f);
        }
        finally
        {
            File.Delete(body);
        }

        Assert.Equal(1, await Silo.GetTotalAsync());
    }

    /// <summary>Runs curl on <paramref name="url"/>: the HTTP status and the JSON body.</summary>
    private static (int Status, JsonElement Body) Curl(string url, params string[] options)
    {
        var output = SystemCommand.Run("curl", [.. options, "-sS", "--max-time", "50", "-w", "\n%{http_code}", url]);
        var split = output.TrimEnd().LastIndexOf('\n');
        var status = int.Parse(output[(split + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var text = output[..split];
        return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
