using System.Text;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>Records that cannot be classified go to the dead-letter topic with a reason, and never cost a valid record.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TestBroker _broker = new();
    private readonly string _allowedRoot = Directory.CreateTempSubdirectory("mlwatch-allowed-").FullName;
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloUnderTest.StartAsync(
        _broker.BootstrapServers,
        new Dictionary<string, string?> { ["Ingest:AllowedRoots:0"] = _allowedRoot });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_allowedRoot, recursive: true);
    }

    [Fact]
    public async Task Bad_records_are_dead_lettered_with_reasons_and_every_valid_record_around_them_is_counted()
    {
        var png = FashionMnistImages.TestSet.EncodePng(7);
        var insideRoot = Path.Combine(_allowedRoot, "shirt.png");
        await File.WriteAllBytesAsync(insideRoot, png);
        var bad = new (string Key, byte[]? Value, (string, string)[] Headers, string Reason)[]
        {
            ("empty", [], [], "empty"),
            ("null-value", null, [], "empty"),
            ("truncated-png", png[..(png.Length / 2)], [], "truncated"),
            ("random-bytes", RandomBytes(4096), [], "undecodable"),
            ("text", Encoding.UTF8.GetBytes("this is not an image"), [], "undecodable"),
            ("unknown-model", png, [(RecordHeaders.Model, "imagenet-resnet50")], "unknown-model"),
            ("traversal", Encoding.UTF8.GetBytes(Path.Combine(_allowedRoot, "../../etc/passwd")), [(RecordHeaders.ContentType, RecordHeaders.UriListContentType)], "forbidden-path"),
            ("missing-file", Encoding.UTF8.GetBytes(Path.Combine(_allowedRoot, "nope.png")), [(RecordHeaders.ContentType, RecordHeaders.UriListContentType)], "missing-file"),
        };

        var valid = 0;
        foreach (var record in bad)
        {
            await _broker.ProduceAsync(png, $"valid-{valid++}");
            await _broker.ProduceAsync(record.Value, record.Key, record.Headers);
        }

        await _broker.ProduceAsync(Encoding.UTF8.GetBytes(insideRoot), $"valid-{valid++}", (RecordHeaders.ContentType, RecordHeaders.UriListContentType));
        await _broker.ProduceFashionMnistAsync(0, 200);
        valid += 200;

        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= valid && counts.Item2 >= bad.Length,
            "valid records counted and bad ones dead-lettered");
        Assert.Equal(valid, await _silo.GetTotalAsync());

        var deadLetters = _broker.ReadAll(TopicNames.DeadLetter, bad.Length).ToDictionary(r => Encoding.UTF8.GetString(r.Message.Key!));
        Assert.Equal(bad.Length, deadLetters.Count);
        foreach (var record in bad)
        {
            var letter = deadLetters[record.Key];
            Assert.Equal(record.Reason, Header(letter.Message.Headers, RecordHeaders.ErrorCode));
            Assert.False(string.IsNullOrWhiteSpace(Header(letter.Message.Headers, RecordHeaders.Error)), $"{record.Key}: no reason text");
            Assert.StartsWith(TopicNames.Requests + "/", Header(letter.Message.Headers, RecordHeaders.Origin), StringComparison.Ordinal);
            Assert.Equal(record.Value ?? [], letter.Message.Value ?? []);
        }

        var byReason = await _silo.GetJsonAsync("api/deadletters");
        Assert.Equal(2, byReason.GetProperty("empty").GetInt64());
        Assert.Equal(2, byReason.GetProperty("undecodable").GetInt64());
    }

    private static string? Header(Confluent.Kafka.Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
