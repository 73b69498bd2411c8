using System.Text;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Tests.Inference;

public sealed class RequestReaderTests : IDisposable
{
    private static readonly byte[] ImageBytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4];

    private readonly TempDirectory _scratch = new();
    private readonly string _root;
    private readonly string _outside;

    public RequestReaderTests()
    {
        _root = _scratch.CreateDirectory("images");
        _outside = _scratch.CreateDirectory("outside");
        File.WriteAllBytes(Path.Combine(_root, "a.png"), ImageBytes);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "not for you");
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Image_record_without_model_header_uses_the_default_model()
    {
        var record = Records.Image(ImageBytes);

        Assert.True(Reader().TryRead(record, out var request, out var rejection));

        Assert.Null(rejection);
        Assert.Equal("tiny", request.Model.Name);
        Assert.Same(record, request.Record);
        Assert.Equal(ImageBytes, request.Image.ToArray());
    }

    [Fact]
    public void Model_header_selects_a_served_model()
    {
        Assert.True(Reader().TryRead(Records.Image(ImageBytes, (RecordHeaders.Model, "tiny")), out var request, out _));

        Assert.Equal("tiny", request.Model.Name);
    }

    [Fact]
    public void Unknown_model_is_refused_naming_the_served_models()
    {
        var rejection = Refused(Reader(), Records.Image(ImageBytes, (RecordHeaders.Model, "resnet")));

        Assert.Equal(IngestRejectionReasons.UnknownModel, rejection.Reason);
        Assert.Contains("'resnet'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("served: tiny", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Path_inside_an_allowed_root_is_read()
    {
        Assert.True(Reader(_root).TryRead(Records.Path(Path.Combine(_root, "a.png")), out var request, out var rejection));

        Assert.Null(rejection);
        Assert.Equal(ImageBytes, request.Image.ToArray());
    }

    [Fact]
    public void File_uri_with_a_line_break_is_read_like_a_path()
    {
        var uri = new Uri(Path.Combine(_root, "a.png")).AbsoluteUri + "\r\n";
        var record = Records.Image(Encoding.UTF8.GetBytes(uri), (RecordHeaders.ContentType, "Text/URI-List"));

        Assert.True(Reader(_root).TryRead(record, out var request, out _));

        Assert.Equal(ImageBytes, request.Image.ToArray());
    }

    [Fact]
    public void Root_given_with_a_trailing_separator_allows_its_files()
    {
        Assert.True(Reader(_root + Path.DirectorySeparatorChar).TryRead(Records.Path(Path.Combine(_root, "a.png")), out _, out _));
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("../../../../../../../../etc/passwd")]
    [InlineData("./../images/../outside/secret.txt")]
    public void Traversal_out_of_the_root_is_forbidden(string relativeToRoot)
    {
        var rejection = Refused(Reader(_root), Records.Path(_root + Path.DirectorySeparatorChar + relativeToRoot));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, rejection.Reason);
        Assert.Contains("outside the allowed roots", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sibling_directory_sharing_the_root_prefix_is_forbidden()
    {
        var sibling = _scratch.WriteFile("images-evil/a.png", ImageBytes);

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, Refused(Reader(_root), Records.Path(sibling)).Reason);
    }

    [Theory]
    [InlineData("images/a.png")]
    [InlineData("a.png")]
    [InlineData("")]
    [InlineData("   ")]
    public void Relative_or_empty_path_is_invalid(string path)
    {
        var rejection = Refused(Reader(_root), Records.Path(path));

        Assert.Equal(IngestRejectionReasons.InvalidPath, rejection.Reason);
    }

    [Fact]
    public void Path_with_a_nul_character_is_invalid()
    {
        Assert.Equal(IngestRejectionReasons.InvalidPath, Refused(Reader(_root), Records.Path(Path.Combine(_root, "a.png") + "\0.txt")).Reason);
    }

    [Fact]
    public void Missing_file_inside_the_root_is_reported_as_missing()
    {
        var rejection = Refused(Reader(_root), Records.Path(Path.Combine(_root, "nope.png")));

        Assert.Equal(IngestRejectionReasons.MissingFile, rejection.Reason);
        Assert.Contains("nope.png", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_outside_the_root_is_forbidden_without_revealing_whether_it_exists()
    {
        Assert.Equal(IngestRejectionReasons.ForbiddenPath, Refused(Reader(_root), Records.Path(Path.Combine(_outside, "nope.png"))).Reason);
    }

    [Fact]
    public void Symlink_inside_the_root_to_a_file_outside_is_forbidden()
    {
        var link = Path.Combine(_root, "link.png");
        File.CreateSymbolicLink(link, Path.Combine(_outside, "secret.txt"));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, Refused(Reader(_root), Records.Path(link)).Reason);
    }

    [Fact]
    public void Relative_symlink_inside_the_root_to_a_file_outside_is_forbidden()
    {
        var link = Path.Combine(_root, "link.png");
        File.CreateSymbolicLink(link, Path.Combine("..", "outside", "secret.txt"));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, Refused(Reader(_root), Records.Path(link)).Reason);
    }

    [Fact]
    public void Symlinked_directory_inside_the_root_pointing_outside_is_forbidden()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);

        var rejection = Refused(Reader(_root), Records.Path(Path.Combine(_root, "escape", "secret.txt")));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, rejection.Reason);
    }

    [Fact]
    public void Symlinked_directory_chain_leading_outside_is_forbidden()
    {
        // images/hop -> images/inner (a link itself) -> ../../outside: every hop, not only the last, must be resolved.
        Directory.CreateSymbolicLink(Path.Combine(_root, "inner"), Path.Combine("..", "outside"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "hop"), Path.Combine(_root, "inner"));

        var rejection = Refused(Reader(_root), Records.Path(Path.Combine(_root, "hop", "secret.txt")));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, rejection.Reason);
    }

    [Fact]
    public void Symlink_loop_is_refused_instead_of_failing_the_delivery()
    {
        var loop = Path.Combine(_root, "loop");
        File.CreateSymbolicLink(loop, loop);

        var rejection = Refused(Reader(_root), Records.Path(Path.Combine(loop, "a.png")));

        Assert.Equal(IngestRejectionReasons.InvalidPath, rejection.Reason);
    }

    [Fact]
    public void Directory_instead_of_a_file_is_not_a_regular_file()
    {
        var rejection = Refused(Reader(_root), Records.Path(_scratch.CreateDirectory("images/sub")));

        Assert.Equal(IngestRejectionReasons.NotARegularFile, rejection.Reason);
        Assert.Contains("a directory", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Symlink_that_stays_inside_the_root_is_read()
    {
        var link = Path.Combine(_root, "alias.png");
        File.CreateSymbolicLink(link, Path.Combine(_root, "a.png"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "same"), _root);

        Assert.True(Reader(_root).TryRead(Records.Path(link), out var viaFileLink, out _));
        Assert.True(Reader(_root).TryRead(Records.Path(Path.Combine(_root, "same", "a.png")), out var viaDirectoryLink, out _));

        Assert.Equal(ImageBytes, viaFileLink.Image.ToArray());
        Assert.Equal(ImageBytes, viaDirectoryLink.Image.ToArray());
    }

    [Fact]
    public void Root_that_is_itself_a_symlink_allows_its_files()
    {
        var linkedRoot = Path.Combine(_scratch.Path, "linked-images");
        Directory.CreateSymbolicLink(linkedRoot, _root);

        Assert.True(Reader(linkedRoot).TryRead(Records.Path(Path.Combine(linkedRoot, "a.png")), out var request, out _));

        Assert.Equal(ImageBytes, request.Image.ToArray());
    }

    [Fact]
    public void File_larger_than_max_image_bytes_is_refused_as_file_too_large()
    {
        var path = _scratch.WriteFile("images/big.png", new byte[ImageBytes.Length + 1]);

        var rejection = Refused(Reader([_root], maxImageBytes: ImageBytes.Length), Records.Path(path));

        Assert.Equal(IngestRejectionReasons.FileTooLarge, rejection.Reason);
        Assert.Contains("Inference.MaxImageBytes", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_of_exactly_max_image_bytes_is_read()
    {
        Assert.True(Reader([_root], maxImageBytes: ImageBytes.Length).TryRead(Records.Path(Path.Combine(_root, "a.png")), out _, out _));
    }

    [Fact]
    public void Without_allowed_roots_every_path_is_refused_telling_to_set_them()
    {
        var rejection = Refused(Reader(), Records.Path(Path.Combine(_root, "a.png")));

        Assert.Equal(IngestRejectionReasons.ForbiddenPath, rejection.Reason);
        Assert.Contains("set Ingest.AllowedRoots", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_allowed_root_is_honoured()
    {
        Assert.True(Reader(_outside, _root).TryRead(Records.Path(Path.Combine(_root, "a.png")), out _, out _));
    }

    [Fact]
    public void Unknown_model_is_checked_before_the_path()
    {
        var record = Records.Path("relative.png", (RecordHeaders.Model, "resnet"));

        Assert.Equal(IngestRejectionReasons.UnknownModel, Refused(Reader(_root), record).Reason);
    }

    private static RequestReader Reader(params string[] allowedRoots) => Reader(allowedRoots, InferenceOptions.DefaultMaxImageBytes);

    private static RequestReader Reader(string[] allowedRoots, int maxImageBytes)
    {
        var inference = TestModels.Options(maxImageBytes);
        return new RequestReader(
            new ModelCatalog(inference),
            Options.Create(new IngestOptions { AllowedRoots = [.. allowedRoots] }),
            Options.Create(inference));
    }

    private static ImageRejection Refused(RequestReader reader, KafkaRecord record)
    {
        Assert.False(reader.TryRead(record, out _, out var rejection));
        Assert.NotNull(rejection);
        return rejection;
    }
}
