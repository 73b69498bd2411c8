using System.Buffers.Binary;
using System.Net;
using System.Text;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>
/// Infer calls from a client that knows only the protocol's JSON schema: an encoded image (BYTES) and a preprocessed
/// tensor (FP32) of the same image get the same answer ONNX Runtime gives, and bad requests get OIP errors with reason codes.
/// </summary>
public sealed class OpenInferenceClientTests : SiloOnTestBroker
{
    [Fact]
    public async Task Bytes_and_fp32_inputs_of_one_image_get_onnx_runtimes_label_and_the_top_k_scores()
    {
        var client = new OipSchemaClient(Silo.Api);
        var expected = OipRequests.ExpectedLabels(6)[5];

        var (status, png, _) = await client.InferAsync(OipRequests.Model, OipRequests.Image(5, "bytes-5", topK: 4));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bytes-5", png!.Id);
        Assert.Equal(expected, png.Output("label").Strings().Single());
        var topLabels = png.Output("top_k_labels").Strings();
        var topScores = png.Output("top_k_scores").Floats();
        Assert.Equal([1, 4], png.Output("top_k_scores").Shape);
        Assert.Equal(expected, topLabels[0]);
        Assert.Equal(4, topLabels.Distinct().Count());
        Assert.True(topScores.Zip(topScores.Skip(1)).All(pair => pair.First >= pair.Second), $"top-k scores not in descending order: {string.Join(", ", topScores)}");

        // The client preprocesses itself from the model's published metadata: FP32 of shape [1, C, H, W].
        var metadata = await client.GetMetadataAsync(OipRequests.Model);
        var tensorInput = metadata.Inputs.Single(i => i.Datatype == "FP32");
        Assert.Equal([-1, 1, 28, 28], tensorInput.Shape);
        var config = FashionMnistImages.Model.Config;
        var tensor = FashionMnistImages.TestSet.GetPixels(5).ToArray().Select(p => ((p / config.Scale) - config.Mean[0]) / config.Std[0]).ToArray();
        var (tensorStatus, fp32, tensorError) = await client.InferAsync(
            OipRequests.Model,
            new OipRequest("fp32-5", [new OipRequestInput(tensorInput.Name, [1, 1, 28, 28], "FP32", tensor)], new Dictionary<string, object> { ["top_k"] = 4 }));
        Assert.True(tensorStatus == HttpStatusCode.OK, tensorError?.Error);
        Assert.Equal(expected, fp32!.Output("label").Strings().Single());
        Assert.Equal(png.Output("confidence").Floats()[0], fp32.Output("confidence").Floats()[0], 1e-4f);
        Assert.Equal(topLabels, fp32.Output("top_k_labels").Strings());

        Assert.Equal(2, await Silo.GetTotalAsync());
    }

    [Fact]
    public async Task A_bytes_input_of_several_images_answers_one_row_per_image_in_order()
    {
        var client = new OipSchemaClient(Silo.Api);
        var expected = OipRequests.ExpectedLabels(3);
        var images = Enumerable.Range(0, 3).Select(i => Convert.ToBase64String(FashionMnistImages.TestSet.EncodePng(i))).ToArray();

        var (status, response, error) = await client.InferAsync(OipRequests.Model, new OipRequest("batch", [new OipRequestInput("image", [3], "BYTES", images)]));

        Assert.True(status == HttpStatusCode.OK, error?.Error);
        Assert.Equal([3], response!.Output("label").Shape);
        Assert.Equal(expected, response.Output("label").Strings());
        Assert.Equal(3, response.Output("confidence").Floats().Length);
        Assert.Equal(3, await Silo.GetTotalAsync());
    }

    [Fact]
    public async Task Tensor_records_from_a_kafka_producer_are_classified_or_dead_lettered_for_their_size_and_values()
    {
        var config = FashionMnistImages.Model.Config;
        var tensor = FashionMnistImages.TestSet.GetPixels(0).ToArray().Select(p => ((p / config.Scale) - config.Mean[0]) / config.Std[0]).ToArray();
        (string, string) tensorType = (RecordHeaders.ContentType, RecordHeaders.Fp32TensorContentType);
        var notFinite = (float[])tensor.Clone();
        notFinite[100] = float.NaN;

        await Broker.ProduceAsync(LittleEndian(tensor), "tensor-ok", tensorType);
        await Broker.ProduceAsync(LittleEndian(notFinite), "tensor-nan", tensorType);
        await Broker.ProduceAsync(LittleEndian(tensor[..700]), "tensor-short", tensorType);

        await Eventually.ReachAsync(async () => (await Silo.GetTotalAsync(), await Silo.GetDeadLetteredAsync()), counts => counts == (1, 2), "one tensor counted, two dead-lettered");
        var reasons = Broker.ReadAll("mlwatch.deadletter", 2).ToDictionary(r => Encoding.UTF8.GetString(r.Message.Key!), r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(RecordHeaders.ErrorCode)));
        Assert.Equal("tensor-not-finite", reasons["tensor-nan"]);
        Assert.Equal("tensor-shape-mismatch", reasons["tensor-short"]);
    }

    private static byte[] LittleEndian(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    [Fact]
    public async Task Bad_requests_get_oip_errors_with_the_reason_codes_and_nothing_is_counted_for_them()
    {
        var client = new OipSchemaClient(Silo.Api);
        var badBase64 = new OipRequest("bad-base64", [new OipRequestInput("image", [1], "BYTES", new[] { "not base64!" })]);
        var notAnImage = new OipRequest("text", [new OipRequestInput("image", [1], "BYTES", new[] { Convert.ToBase64String("this is not an image"u8.ToArray()) })]);
        var shortTensor = new OipRequest("short", [new OipRequestInput("input", [1, 1, 28, 28], "FP32", new float[10])]);

        await AssertErrorAsync(HttpStatusCode.BadRequest, "invalid-base64", client.InferAsync(OipRequests.Model, badBase64));
        await AssertErrorAsync(HttpStatusCode.NotFound, "unknown-model", client.InferAsync("imagenet-resnet50", OipRequests.Image(0, "unknown-model")));
        await AssertErrorAsync(HttpStatusCode.NotFound, "unknown-version", client.InferAsync(OipRequests.Model, OipRequests.Image(0, "unknown-version"), version: "99"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "tensor-shape-mismatch", client.InferAsync(OipRequests.Model, shortTensor));
        // Valid JSON whose image the pipeline refuses: the record is dead-lettered and its reason comes back.
        await AssertErrorAsync(HttpStatusCode.BadRequest, "undecodable", client.InferAsync(OipRequests.Model, notAnImage));

        Assert.Equal(0, await Silo.GetTotalAsync());
        Assert.Equal(1, await Silo.GetDeadLetteredAsync());
    }

    private static async Task AssertErrorAsync(HttpStatusCode status, string reason, Task<(HttpStatusCode Status, OipResponse? Response, OipError? Error)> call)
    {
        var (actual, _, error) = await call;
        Assert.True(actual == status, $"expected {status}, got {actual}: {error?.Error}");
        Assert.Equal(reason, error!.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Error));
    }
}
