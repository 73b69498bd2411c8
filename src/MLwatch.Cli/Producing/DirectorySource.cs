namespace MLwatch.Cli.Producing;

/// <summary>Image files under a directory; a file's parent folder name (below the root) is taken as its true label.</summary>
public sealed class DirectorySource : IImageSource
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };
    private readonly string _root;
    private readonly string[] _files;

    public DirectorySource(string root)
    {
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"Image directory '{root}' does not exist.");
        }

        _files = [.. Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal)];
        if (_files.Length == 0)
        {
            throw new InvalidOperationException($"No image files ({string.Join(", ", ImageExtensions)}) under '{root}'.");
        }
    }

    public int Count => _files.Length;

    public SourceImage Get(int index)
    {
        var file = _files[index % _files.Length];
        return new SourceImage(Path.GetRelativePath(_root, file), File.ReadAllBytes(file), LabelOf(file), file);
    }

    public string? GetLabel(int index) => LabelOf(_files[index % _files.Length]);

    private string? LabelOf(string file)
    {
        var folder = Path.GetRelativePath(_root, Path.GetDirectoryName(file)!);
        return folder == "." ? null : folder;
    }
}
