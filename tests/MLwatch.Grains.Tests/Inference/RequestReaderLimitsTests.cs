using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Tests.Inference;

/// <summary>Ingest:MaxKeyBytes and Ingest:MaxHeaderBytes: oversized keys and headers are refused before anything else.</summary>
public sealed class RequestReaderLimitsTests
{
    private static readonly byte[] ImageBytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4];

    [Fact]
    public void A_key_over_the_limit_is_refused_as_key_too_large_and_one_at_the_limit_is_read()
    {
        var reader = Reader(new IngestOptions { MaxKeyBytes = 8 });

        Assert.True(reader.TryRead(Records.Image(ImageBytes) with { Key = "12345678"u8.ToArray() }, out _, out _));
        Assert.False(reader.TryRead(Records.Image(ImageBytes) with { Key = "123456789"u8.ToArray() }, out _, out var rejection));
        Assert.Equal(IngestRejectionReasons.KeyTooLarge, rejection!.Reason);
        Assert.Contains("Ingest.MaxKeyBytes", rejection.Message, StringComparison.Ordinal);

        // Bytes, not characters: four 2-byte characters and a 1-byte one make 9 bytes.
        Assert.False(reader.TryRead(Records.Image(ImageBytes) with { Key = "éééé1"u8.ToArray() }, out _, out rejection));
        Assert.Equal(IngestRejectionReasons.KeyTooLarge, rejection!.Reason);
    }

    [Fact]
    public void Headers_over_the_limit_together_are_refused_as_headers_too_large_before_the_model_is_looked_up()
    {
        var reader = Reader(new IngestOptions { MaxHeaderBytes = 64 });

        Assert.True(reader.TryRead(Records.Image(ImageBytes, ("x-a", new string('a', 30))), out _, out _));
        var rejection = Refused(reader, Records.Image(ImageBytes, ("x-a", new string('a', 30)), (RecordHeaders.Model, "no-such-model-" + new string('b', 20))));
        Assert.Equal(IngestRejectionReasons.HeadersTooLarge, rejection.Reason);
        Assert.Contains("Ingest.MaxHeaderBytes", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1024, 0)]
    public void Limits_below_one_byte_are_invalid(int maxKeyBytes, int maxHeaderBytes)
    {
        var error = Assert.Throws<ArgumentException>(() => new IngestOptions { MaxKeyBytes = maxKeyBytes, MaxHeaderBytes = maxHeaderBytes }.Validate());
        Assert.Contains(maxKeyBytes == 0 ? "Ingest.MaxKeyBytes" : "Ingest.MaxHeaderBytes", error.Message, StringComparison.Ordinal);
    }

    private static RequestReader Reader(IngestOptions ingest)
    {
        var inference = TestModels.Options(InferenceOptions.DefaultMaxImageBytes);
        return new RequestReader(new ModelCatalog(inference), Options.Create(ingest), Options.Create(inference));
    }

    private static ImageRejection Refused(RequestReader reader, KafkaRecord record)
    {
        Assert.False(reader.TryRead(record, out _, out var rejection));
        return rejection!;
    }
}
