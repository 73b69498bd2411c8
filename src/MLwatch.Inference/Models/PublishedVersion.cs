namespace MLwatch.Inference.Models;

/// <summary>The files of a version as published: model.onnx and whichever of its own config, labels, reference and metrics came with it.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The version name.</param>
/// <param name="Onnx">model.onnx.</param>
/// <param name="Config">The version's config.json (only what differs from the model's); null: the model's.</param>
/// <param name="Labels">The version's labels.txt; null: the model's.</param>
/// <param name="Reference">The version's reference.json; null: the model's.</param>
/// <param name="Metrics">The version's metrics.json; null: the model's.</param>
public sealed record PublishedVersion(string Model, string Version, byte[] Onnx, byte[]? Config, byte[]? Labels, byte[]? Reference, byte[]? Metrics)
{
    /// <summary>SHA-256 of <see cref="Onnx"/>, lower-case hex.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Onnx));

    /// <summary>
    /// Writes the version into <paramref name="modelsRoot"/>/&lt;model&gt;/&lt;version&gt;/: first into a hidden folder
    /// beside it, then moved in place in one rename, so a reader (another silo sharing the root, a silo starting) sees
    /// the whole version or none of it. When the folder exists with the same model.onnx, nothing is written; with other
    /// bytes, it is replaced only if <paramref name="replace"/> (a version this process rejected), else an
    /// <see cref="IOException"/> says so.
    /// </summary>
    public string WriteTo(string modelsRoot, bool replace)
    {
        if (!ModelVersions.IsValidName(Version) || !ModelVersions.IsValidName(Model))
        {
            throw new ArgumentException($"'{Model}' / '{Version}' is not a model and version name ({ModelVersions.NameRule}).");
        }

        var modelDirectory = Directory.CreateDirectory(Path.Combine(modelsRoot, Model)).FullName;
        var target = Path.Combine(modelDirectory, Version);
        var existing = Path.Combine(target, ModelRepository.OnnxFile);
        if (HoldsThisVersion(existing))
        {
            return target;
        }

        var staging = Path.Combine(modelDirectory, $".incoming-{Version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllBytes(Path.Combine(staging, ModelRepository.OnnxFile), Onnx);
            WriteIfGiven(staging, ModelRepository.ConfigFile, Config);
            WriteIfGiven(staging, ModelRepository.LabelsFile, Labels);
            WriteIfGiven(staging, ModelRepository.ReferenceFile, Reference);
            WriteIfGiven(staging, ModelRepository.MetricsFile, Metrics);
            if (Directory.Exists(target))
            {
                if (HoldsThisVersion(existing))
                {
                    // Another silo sharing the models root wrote it meanwhile.
                    return target;
                }

                if (!replace)
                {
                    throw new IOException($"{target} holds other bytes for version {Version} of {Model}; a version never changes: publish the new bytes as a new version.");
                }

                var aside = Path.Combine(modelDirectory, $".replaced-{Version}-{Guid.NewGuid():N}");
                Directory.Move(target, aside);
                Directory.Delete(aside, recursive: true);
            }

            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (HoldsThisVersion(existing))
            {
            }

            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private bool HoldsThisVersion(string onnxPath) => File.Exists(onnxPath) && Sessions.ModelValidator.Sha256Of(onnxPath) == Sha256;

    private static void WriteIfGiven(string directory, string file, byte[]? content)
    {
        if (content is not null)
        {
            File.WriteAllBytes(Path.Combine(directory, file), content);
        }
    }
}
