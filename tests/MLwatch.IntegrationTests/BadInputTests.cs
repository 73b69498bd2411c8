using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>
/// The bad-input corpus: every kind of record that cannot be classified goes to the dead-letter topic with its own reason
/// code, crashes no grain, blocks no partition, and costs no valid record around it.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    /// <summary>Inference:MaxImageBytes for this test: 1 MiB, so an oversized record stays cheap for the mock broker.</summary>
    private const int MaxImageBytes = 1024 * 1024;

    private readonly TestBroker _broker = new();
    private readonly string _allowedRoot = Directory.CreateTempSubdirectory("mlwatch-allowed-").FullName;
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloUnderTest.StartAsync(
        _broker.BootstrapServers,
        new Dictionary<string, string?>
        {
            ["Ingest:AllowedRoots:0"] = _allowedRoot,
            ["Inference:MaxImageBytes"] = MaxImageBytes.ToString(CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_allowedRoot, recursive: true);
    }

    [Fact]
    public async Task Every_kind_of_bad_record_is_dead_lettered_with_its_reason_and_every_valid_record_around_them_is_counted()
    {
        var png = FashionMnistImages.TestSet.EncodePng(7);
        var insideRoot = Path.Combine(_allowedRoot, "shirt.png");
        await File.WriteAllBytesAsync(insideRoot, png);
        (string, string)[] path = [(RecordHeaders.ContentType, RecordHeaders.UriListContentType)];
        var oversized = new byte[MaxImageBytes + 512 * 1024];
        png.CopyTo(oversized, 0);
        var bad = new BadRecord[]
        {
            new("empty", [], [], "empty"),
            new("null-value", null, [], "empty"),
            new("truncated-png", png[..(png.Length / 2)], [], "truncated"),
            new("random-bytes", RandomBytes(4096), [], "undecodable"),
            new("text", Encoding.UTF8.GetBytes("this is not an image"), [], "undecodable"),
            new("60000x60000", CraftedPng.WithDimensions(png, 60_000, 60_000), [], "dimensions-exceed-limit"),
            new("corrupt-pixel-data", CraftedPng.WithCorruptPixelData(png), [], "corrupt"),
            new("oversized", oversized, [], "too-large"),
            new("unknown-model", png, [(RecordHeaders.Model, "imagenet-resnet50")], "unknown-model"),
            new("traversal", Encoding.UTF8.GetBytes(Path.Combine(_allowedRoot, "../../etc/passwd")), path, "forbidden-path"),
            new("outside-roots", Encoding.UTF8.GetBytes("/etc/passwd"), path, "forbidden-path"),
            new("relative-traversal", Encoding.UTF8.GetBytes("../../etc/passwd"), path, "invalid-path"),
            new("missing-file", Encoding.UTF8.GetBytes(Path.Combine(_allowedRoot, "nope.png")), path, "missing-file"),
            new("huge-key-" + new string('k', 64 * 1024), png, [], "key-too-large"),
            new("huge-header", png, [("x-junk", new string('h', 64 * 1024))], "headers-too-large"),
        };

        var valid = 0;
        var sent = new Dictionary<string, BadRecord>();
        foreach (var record in bad)
        {
            await _broker.ProduceAsync(png, $"valid-{valid++}");
            var delivered = await _broker.ProduceAsync(record.Value, record.Key, record.Headers);
            sent[$"{delivered.Topic}/{delivered.Partition.Value}/{delivered.Offset.Value}"] = record;
        }

        await _broker.ProduceAsync(Encoding.UTF8.GetBytes(insideRoot), $"valid-{valid++}", path);
        await _broker.ProduceFashionMnistAsync(0, 200);
        valid += 200;

        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= valid && counts.Item2 >= bad.Length,
            "valid records counted and bad ones dead-lettered");
        Assert.Equal(valid, await _silo.GetTotalAsync());

        var deadLetters = _broker.ReadAll(TopicNames.DeadLetter, bad.Length).ToDictionary(r => Header(r.Message.Headers, RecordHeaders.Origin)!);
        Assert.Equal(bad.Length, deadLetters.Count);
        foreach (var (origin, record) in sent)
        {
            var letter = deadLetters[origin].Message;
            var kind = record.Key.Length > 40 ? record.Key[..40] + "…" : record.Key;
            Assert.True(record.Reason == Header(letter.Headers, RecordHeaders.ErrorCode), $"{kind}: {Header(letter.Headers, RecordHeaders.ErrorCode)} ({Header(letter.Headers, RecordHeaders.Error)})");
            Assert.False(string.IsNullOrWhiteSpace(Header(letter.Headers, RecordHeaders.Error)), $"{kind}: no reason text");
            Assert.StartsWith(TopicNames.Requests + "/", origin, StringComparison.Ordinal);

            // The original value, key and headers travel along, except what made the record too large to carry.
            var value = record.Value ?? [];
            Assert.Equal(value.Length <= 512 * 1024 ? value : [], letter.Value ?? []);
            Assert.Equal(record.Reason == "key-too-large" ? origin : record.Key, Encoding.UTF8.GetString(letter.Key!));
            foreach (var (name, text) in record.Headers)
            {
                Assert.Equal(record.Reason == "headers-too-large" ? null : text, Header(letter.Headers, name));
            }
        }

        var byReason = await _silo.GetJsonAsync("api/deadletters");
        foreach (var group in bad.GroupBy(r => r.Reason))
        {
            Assert.True(byReason.TryGetProperty(group.Key, out var count), $"no count for {group.Key} in {byReason}");
            Assert.Equal(group.Count(), count.GetInt64());
        }

        Assert.Equal(bad.Length, byReason.EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.True(bad.Select(r => r.Reason).Distinct().Count() >= 12, "the corpus covers at least 12 reason codes");
    }

    private sealed record BadRecord(string Key, byte[]? Value, (string Name, string Value)[] Headers, string Reason);

    private static string? Header(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
