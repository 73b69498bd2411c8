using System.Diagnostics.CodeAnalysis;
using MLwatch.Cli.Producing.Shifts;
using MLwatch.Inference.Datasets;
using MLwatch.Inference.Models;

namespace MLwatch.Cli.Producing;

/// <summary>Resolves a --source argument: "fashion-mnist" (the committed test set) or a directory of images.</summary>
public static class ImageSources
{
    public const string FashionMnist = "fashion-mnist";

    public static IImageSource Open(string source)
    {
        if (!string.Equals(source, FashionMnist, StringComparison.OrdinalIgnoreCase))
        {
            return new DirectorySource(source);
        }

        var modelsRoot = ModelCatalog.LocateModelsRoot(Directory.GetCurrentDirectory()) ?? ModelCatalog.LocateModelsRoot()
            ?? throw new DirectoryNotFoundException("Cannot find the models/ directory with the Fashion-MNIST test set; run from the MLwatch checkout.");
        var modelDirectory = Path.Combine(modelsRoot, FashionMnist);
        var labels = File.ReadAllLines(Path.Combine(modelDirectory, "labels.txt")).Where(l => l.Length > 0).ToArray();
        return new FashionMnistSource(FashionMnistTestSet.Load(Path.Combine(modelDirectory, "testset")), labels);
    }

    /// <summary>
    /// Opens <paramref name="source"/> and applies <paramref name="shifts"/> (none: the source itself). Returns false with
    /// a message for the user when the source is missing or a shift does not fit it (e.g. a prior class it lacks).
    /// </summary>
    public static bool TryOpen(string source, IReadOnlyList<ImageShift> shifts, int seed, [NotNullWhen(true)] out IImageSource? images, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        images = null;
        try
        {
            var opened = Open(source);
            images = shifts.Count == 0 ? opened : new ShiftedImageSource(opened, shifts, seed);
            if (shifts.Count > 0 && images.Count > 0)
            {
                // Fail before producing anything when a pixel shift cannot decode what the source holds.
                _ = images.Get(0);
            }

            error = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or InvalidOperationException)
        {
            error = $"--source {source} --shift {ImageShiftParser.Format(shifts)}: {ex.Message}";
            return false;
        }
    }
}
