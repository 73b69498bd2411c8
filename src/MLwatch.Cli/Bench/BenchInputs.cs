using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.Cli.Bench;

/// <summary>
/// What a benchmark feeds a model: its descriptor and a set of encoded images, also as files on disk for path records.
/// fashion-mnist uses its committed test set (PNG); the benchmark models of models/bench/ use the photo-like JPEGs
/// models/bench/export.py made beside them.
/// </summary>
public sealed class BenchInputs : IDisposable
{
    private const int FashionMnistImages = 2000;

    private readonly bool _filesAreTemporary;

    private BenchInputs(ModelDescriptor model, string modelsRoot, IReadOnlyList<byte[]> images, IReadOnlyList<string> files, bool filesAreTemporary = false)
    {
        _filesAreTemporary = filesAreTemporary;
        Model = model;
        ModelsRoot = modelsRoot;
        Images = images;
        Files = files;
    }

    /// <summary>The model benchmarked.</summary>
    public ModelDescriptor Model { get; }

    /// <summary>The models root a silo serving the model is given.</summary>
    public string ModelsRoot { get; }

    /// <summary>Encoded images, cycled through.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>The same images as files (absolute paths), for path records.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The directory holding <see cref="Files"/>: the allowed root of path records.</summary>
    public string FilesRoot => Path.GetDirectoryName(Files[0])!;

    /// <summary>Mean encoded size.</summary>
    public double MeanImageBytes => Images.Average(i => i.Length);

    /// <summary>Finds <paramref name="modelName"/> under models/ or models/bench/generated/ and loads its inputs.</summary>
    public static BenchInputs Load(string modelName, string? modelsRoot = null)
    {
        var root = modelsRoot ?? ModelCatalog.LocateModelsRoot(Directory.GetCurrentDirectory()) ?? ModelCatalog.LocateModelsRoot()
            ?? throw new DirectoryNotFoundException("Cannot find the models/ directory; run from the MLwatch checkout or pass --models-root.");
        var generated = Path.Combine(root, "bench", "generated");
        var directory = new[] { Path.Combine(root, modelName), Path.Combine(generated, modelName) }.FirstOrDefault(d => File.Exists(Path.Combine(d, "config.json")))
            ?? throw new DirectoryNotFoundException(
                $"No model '{modelName}' under {root} or {generated}. The benchmark models (mobilenet-v2, inception-v3) are made by " +
                "`/usr/bin/python3 models/bench/export.py` (needs Debian's python3-torch, python3-torchvision, python3-onnx, python3-pil and darknet).");
        var model = ModelDescriptor.Load(directory);
        var modelsRootOfModel = Path.GetDirectoryName(directory)!;
        if (modelName == "fashion-mnist")
        {
            var set = FashionMnistTestSet.Load(Path.Combine(directory, "testset"));
            var images = Enumerable.Range(0, Math.Min(FashionMnistImages, set.Count)).Select(set.EncodePng).ToArray();
            return new BenchInputs(model, modelsRootOfModel, images, WriteFiles(images, "png"), filesAreTemporary: true);
        }

        var photos = Path.Combine(generated, "photos");
        var files = Directory.Exists(photos) ? Directory.GetFiles(photos, "*.jpg").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No photos under {photos}; make them with `/usr/bin/python3 models/bench/export.py`.");
        }

        return new BenchInputs(model, modelsRootOfModel, [.. files.Select(File.ReadAllBytes)], files);
    }

    /// <summary>Deletes the files written for path records of the test set.</summary>
    public void Dispose()
    {
        if (_filesAreTemporary)
        {
            Directory.Delete(FilesRoot, recursive: true);
        }
    }

    private static string[] WriteFiles(IReadOnlyList<byte[]> images, string extension)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mlwatch-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        return [.. images.Select((image, i) =>
        {
            var path = Path.Combine(directory, $"image-{i:D5}.{extension}");
            File.WriteAllBytes(path, image);
            return path;
        })];
    }
}
