using System.Globalization;
using Mono.Unix.Native;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;
using static MLwatch.IntegrationTests.Ingest.IngestMessages;

namespace MLwatch.IntegrationTests.Ingest;

/// <summary>
/// Path records inside an allowed root that lead to no regular file, or to too large a one, are refused at once with
/// their own reason codes: nothing blocks on a FIFO, nothing reads a device without end, and the partition flows on.
/// </summary>
public sealed class PathRecordTests : IAsyncLifetime
{
    private const int MaxImageBytes = 1024 * 1024;

    private readonly TestBroker _broker = new();
    private readonly string _root = Directory.CreateTempSubdirectory("mlwatch-paths-").FullName;
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloUnderTest.StartAsync(
        _broker.BootstrapServers,
        new Dictionary<string, string?>
        {
            ["Ingest:AllowedRoots:0"] = _root,
            ["Ingest:AllowedRoots:1"] = "/dev",
            ["Inference:MaxImageBytes"] = MaxImageBytes.ToString(CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_fifo_device_links_a_device_a_directory_and_an_oversized_file_are_refused_with_their_codes_and_the_partition_flows_on()
    {
        var fifo = Path.Combine(_root, "pipe.png");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.DEFFILEMODE));
        // /dev is an allowed root here, so a link to /dev/zero reaches the device check instead of the roots check.
        var zeroLink = Path.Combine(_root, "zero.png");
        File.CreateSymbolicLink(zeroLink, "/dev/zero");
        var escapingLink = Path.Combine(_root, "passwd.png");
        File.CreateSymbolicLink(escapingLink, "/etc/passwd");
        var oversized = Path.Combine(_root, "huge.png");
        await File.WriteAllBytesAsync(oversized, new byte[MaxImageBytes + 1]);
        var directory = Directory.CreateDirectory(Path.Combine(_root, "album.png")).FullName;
        var shirt = Path.Combine(_root, "shirt.png");
        await File.WriteAllBytesAsync(shirt, FashionMnistImages.TestSet.EncodePng(0));

        var refused = new (string Path, string Reason)[]
        {
            (fifo, "not-a-regular-file"),
            (zeroLink, "not-a-regular-file"),
            ("/dev/zero", "not-a-regular-file"),
            (escapingLink, "forbidden-path"),
            (directory, "not-a-regular-file"),
            (oversized, "file-too-large"),
        };
        var sent = new Dictionary<string, string>();
        foreach (var (path, reason) in refused)
        {
            var delivered = await _broker.ProduceToAsync(Partition0, PathTo(path, Path.GetFileName(path)));
            sent[$"{TopicNames.Requests}/0/{delivered.Offset.Value}"] = reason;
            await _broker.ProduceValidAsync("after-" + Path.GetFileName(path), 20);
        }

        await _broker.ProduceToAsync(Partition0, PathTo(shirt, "shirt"));
        const int counted = (6 * 20) + 1;

        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= counted && counts.Item2 >= refused.Length,
            "records after the refused paths counted");
        Assert.Equal(counted, await _silo.GetTotalAsync());

        var byReason = (await _silo.GetJsonAsync("api/deadletters")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(refused.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => (long)g.Count()), byReason);
        var letters = _broker.ReadAll(TopicNames.DeadLetter, refused.Length);
        Assert.Equal(sent, letters.ToDictionary(l => l.Message.Headers.Header(RecordHeaders.Origin)!, l => l.Message.Headers.Header(RecordHeaders.ErrorCode)!));
    }
}
