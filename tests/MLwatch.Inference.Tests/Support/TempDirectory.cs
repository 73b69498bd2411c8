namespace MLwatch.Inference.Tests.Support;

/// <summary>A scratch directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlwatch-inference-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies the bundled tiny model to &lt;this&gt;/&lt;name&gt; and returns that directory.</summary>
    public string CopyTinyModel(string name = "tiny")
    {
        var target = System.IO.Path.Combine(Path, name);
        var source = System.IO.Path.Combine(TestModels.TinyRoot, "tiny");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        if (name != "tiny")
        {
            var config = System.IO.Path.Combine(target, "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"name\": \"tiny\"", $"\"name\": \"{name}\"", StringComparison.Ordinal));
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
