using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;
using Mono.Unix.Native;

namespace MLwatch.Grains.Tests.Inference;

/// <summary>
/// Path records lead only to regular files within the size limit: FIFOs, sockets, devices and directories are refused
/// without blocking, sizes are checked before and while reading, and each refusal has its own reason code.
/// </summary>
public sealed class RequestReaderFileTests : IDisposable
{
    // A read that blocks would hang the test run: a refusal that takes this long is a hang, whatever the machine.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _scratch = new();
    private readonly string _root;

    public RequestReaderFileTests()
    {
        _root = _scratch.CreateDirectory("images");
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_fifo_inside_the_root_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_root, "pipe.png");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.DEFFILEMODE));

        var rejection = await RefusedAsync(Reader(_root), Records.Path(fifo));

        Assert.Equal(IngestRejectionReasons.NotARegularFile, rejection.Reason);
        Assert.Contains("FIFO", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unix_socket_inside_the_root_is_refused()
    {
        var path = Path.Combine(_root, "listening.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();

        var rejection = await RefusedAsync(Reader(_root), Records.Path(path));

        Assert.Equal(IngestRejectionReasons.NotARegularFile, rejection.Reason);
        Assert.Contains("socket", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    [InlineData("/dev/null")]
    public async Task A_device_under_an_allowed_root_is_refused_instead_of_read_without_end(string device)
    {
        var rejection = await RefusedAsync(Reader("/dev"), Records.Path(device));

        Assert.Equal(IngestRejectionReasons.NotARegularFile, rejection.Reason);
        Assert.Contains("character device", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_inside_the_root_to_a_device_is_forbidden_as_leading_outside()
    {
        var link = Path.Combine(_root, "zero.png");
        File.CreateSymbolicLink(link, "/dev/zero");

        var rejection = await RefusedAsync(Reader(_root), Records.Path(link));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, rejection.Reason);
    }

    [Fact]
    public async Task A_file_whose_size_the_system_reports_as_zero_is_still_read_only_up_to_the_limit()
    {
        // /proc files report a size of 0 and have content: the limit is enforced while reading, not only by fstat.
        var status = $"/proc/{Environment.ProcessId}/status";
        var length = File.ReadAllBytes(status).Length;
        Assert.True(length > 200, $"{status} has {length} bytes");

        var rejection = await RefusedAsync(Reader(["/proc"], maxImageBytes: 100), Records.Path(status));
        Assert.True(Reader(["/proc"], maxImageBytes: 1 << 20).TryRead(Records.Path(status), out var request, out _));

        Assert.Equal(IngestRejectionReasons.FileTooLarge, rejection.Reason);
        Assert.Contains("grew past 100 bytes while it was read", rejection.Message, StringComparison.Ordinal);
        Assert.StartsWith("Name:", System.Text.Encoding.UTF8.GetString(request.Image.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_larger_than_its_first_read_buffer_is_read_whole()
    {
        var bytes = new byte[300_000];
        new Random(3).NextBytes(bytes);
        var path = _scratch.WriteFile("images/photo.jpg", bytes);

        Assert.True(Reader(_root).TryRead(Records.Path(path), out var request, out _));

        Assert.Equal(bytes, request.Image.ToArray());
    }

    [Fact]
    public void An_empty_file_is_read_as_empty_for_the_decoder_to_refuse()
    {
        var path = _scratch.WriteFile("images/empty.png", []);

        Assert.True(Reader(_root).TryRead(Records.Path(path), out var request, out _));

        Assert.Equal(0, request.Image.Length);
    }

    [Theory]
    [InlineData(Errno.ENOENT, IngestRejectionReasons.MissingFile)]
    [InlineData(Errno.ENOTDIR, IngestRejectionReasons.MissingFile)]
    [InlineData(Errno.EACCES, IngestRejectionReasons.UnreadableFile)]
    [InlineData(Errno.EPERM, IngestRejectionReasons.UnreadableFile)]
    [InlineData(Errno.ELOOP, IngestRejectionReasons.ForbiddenPath)]
    [InlineData(Errno.ENXIO, IngestRejectionReasons.NotARegularFile)]
    [InlineData(Errno.EIO, IngestRejectionReasons.FileReadError)]
    [InlineData(Errno.EMFILE, IngestRejectionReasons.FileReadError)]
    public void Each_failure_to_open_has_its_own_reason(Errno errno, string reason)
    {
        // Tests run as root, which may read every file: permission and I/O errors cannot be made real here.
        var rejection = RequestReader.OpenFailed("/srv/images/a.png", errno);

        Assert.Equal(reason, rejection.Reason);
        Assert.Contains("/srv/images/a.png", rejection.Message, StringComparison.Ordinal);
    }

    private static RequestReader Reader(params string[] allowedRoots) => Reader(allowedRoots, MLwatch.Inference.InferenceOptions.DefaultMaxImageBytes);

    private static RequestReader Reader(string[] allowedRoots, int maxImageBytes)
    {
        var inference = TestModels.Options(maxImageBytes);
        return new RequestReader(
            new ModelCatalog(inference),
            Options.Create(new IngestOptions { AllowedRoots = [.. allowedRoots] }),
            Options.Create(inference));
    }

    private static async Task<ImageRejection> RefusedAsync(RequestReader reader, KafkaRecord record)
    {
        var (read, rejection) = await Task.Run(() => (reader.TryRead(record, out _, out var refusal), refusal)).WaitAsync(HangLimit);
        Assert.False(read);
        Assert.NotNull(rejection);
        return rejection;
    }
}
