using MLwatch.Inference.Models;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Models;

public sealed class ModelRepositoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public void A_version_folder_overrides_the_models_files_field_by_field()
    {
        var model = _root.CopyTinyModel();
        AddVersion(model, "2", config: """{ "temperature": 1.5, "maxBatchSize": 2 }""", labels: string.Join('\n', Enumerable.Range(0, 10).Select(i => $"v2-{i}")), reference: "{}");
        File.WriteAllText(Path.Combine(model, "metrics.json"), "{}");

        var v1 = ModelRepository.LoadVersion(model, "1");
        var v2 = ModelRepository.LoadVersion(model, "2");

        Assert.Equal(("1", 1f, 4), (v1.Version, v1.Config.Temperature, v1.Config.MaxBatchSize));
        Assert.Equal(("2", 1.5f, 2), (v2.Version, v2.Config.Temperature, v2.Config.MaxBatchSize));
        Assert.Equal(v1.Config.InputName, v2.Config.InputName);
        Assert.Equal("c0", v1.Labels[0]);
        Assert.Equal("v2-0", v2.Labels[0]);
        Assert.Equal(Path.Combine(model, "2", "model.onnx"), v2.OnnxPath);
        Assert.Null(v1.ReferencePath);
        Assert.Equal(Path.Combine(model, "2", "reference.json"), v2.ReferencePath);
        Assert.Equal(Path.Combine(model, "metrics.json"), v2.MetricsPath);
        Assert.Equal("tiny@2", v2.ToString());
    }

    [Fact]
    public void Scan_finds_every_version_in_version_order_and_the_configured_default()
    {
        var model = _root.CopyTinyModel();
        AddVersion(model, "10");
        AddVersion(model, "2");
        AddVersion(model, "rc-a");
        Directory.CreateDirectory(Path.Combine(model, "testset"));
        AddVersion(model, ".incoming-3-0123");

        var scan = ModelRepository.Scan(model);

        Assert.Equal(["1", "2", "10", "rc-a"], scan.Versions.Select(v => v.Version));
        Assert.Equal("1", scan.DefaultVersion);
        Assert.Empty(scan.Problems);
    }

    [Fact]
    public void A_version_whose_files_are_wrong_is_a_problem_with_its_reason_not_a_failure_of_the_model()
    {
        var model = _root.CopyTinyModel();
        AddVersion(model, "2", config: """{ "version": "3" }""");
        AddVersion(model, "4", config: """{ "channels": 2 }""");

        var scan = ModelRepository.Scan(model);

        Assert.Equal(["1"], scan.Versions.Select(v => v.Version));
        Assert.Collection(
            scan.Problems,
            p => Assert.Equal(("2", $"{Path.Combine(model, "2", "config.json")}: 'version' must equal its folder name \"2\" (or be left out), was \"3\"."), (p.Version, p.Reason)),
            p => Assert.Equal(("4", $"{Path.Combine(model, "config.json")} + {Path.Combine(model, "4", "config.json")}: 'channels' must be 1 or 3, was 2."), (p.Version, p.Reason)));
    }

    [Fact]
    public void The_catalog_serves_the_configured_version_and_switches_atomically()
    {
        var model = _root.CopyTinyModel();
        AddVersion(model, "2");
        var catalog = new ModelCatalog(new InferenceOptions { ModelsRoot = _root.Path, DefaultModel = "tiny" });
        var before = catalog.Default;

        var previous = catalog.Activate("tiny", "2");

        Assert.Equal("1", before.Version);
        Assert.Same(before, previous);
        Assert.Equal("2", catalog.Default.Version);
        Assert.True(catalog.TryGet("tiny", out var served) && served.Version == "2");
        Assert.True(catalog.TryGet("tiny", "1", out var kept) && kept.Version == "1");
        Assert.Equal(["1", "2"], catalog.Versions("tiny").Select(v => v.Version));
        Assert.Null(catalog.Activate("tiny", "3"));
        Assert.Equal("2", catalog.Default.Version);
    }

    [Fact]
    public void Without_a_configured_version_the_highest_is_served_and_added_versions_wait_for_activation()
    {
        var model = _root.CopyTinyModel();
        var config = Path.Combine(model, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"version\": \"1\", ", "", StringComparison.Ordinal));
        AddVersion(model, "2");
        var catalog = new ModelCatalog(new InferenceOptions { ModelsRoot = _root.Path, DefaultModel = "tiny" });
        AddVersion(model, "3");

        catalog.Add(ModelRepository.LoadVersion(model, "3"));

        Assert.Null(catalog.ConfiguredVersion("tiny"));
        Assert.Equal("2", catalog.Default.Version);
        Assert.Equal(["1", "2", "3"], catalog.Versions("tiny").Select(v => v.Version));
        Assert.True(catalog.Remove("tiny", "3"));
        Assert.False(catalog.Remove("tiny", "2"));
    }

    [Fact]
    public void A_published_version_is_written_whole_and_never_changed()
    {
        var onnx = File.ReadAllBytes(TestModels.Tiny.OnnxPath);
        var published = new PublishedVersion("tiny", "5", onnx, "{\"temperature\":2}"u8.ToArray(), null, null, null);

        var directory = published.WriteTo(_root.Path, replace: false);
        var again = published.WriteTo(_root.Path, replace: false);
        var other = new PublishedVersion("tiny", "5", [.. onnx, 0], null, null, null, null);

        Assert.Equal(directory, again);
        Assert.Equal(["config.json", "model.onnx"], Directory.EnumerateFiles(directory).Select(Path.GetFileName).Order());
        Assert.Throws<IOException>(() => other.WriteTo(_root.Path, replace: false));
        other.WriteTo(_root.Path, replace: true);
        Assert.Equal(other.Sha256, MLwatch.Inference.Sessions.ModelValidator.Sha256Of(Path.Combine(directory, "model.onnx")));
        Assert.Equal(["5"], Directory.EnumerateDirectories(Path.Combine(_root.Path, "tiny")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("2024-06.rc_1", true)]
    [InlineData("", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("1@2", false)]
    [InlineData("..", false)]
    public void Version_names_are_plain_folder_names(string name, bool valid) => Assert.Equal(valid, ModelVersions.IsValidName(name));

    [Fact]
    public void Numbered_versions_sort_by_number_before_other_names() =>
        Assert.Equal(["1", "2", "10", "a", "b"], new[] { "b", "10", "a", "2", "1" }.Order(ModelVersions.Order));

    public void Dispose() => _root.Dispose();

    private static void AddVersion(string model, string version, string? config = null, string? labels = null, string? reference = null)
    {
        var directory = Directory.CreateDirectory(Path.Combine(model, version)).FullName;
        File.Copy(Path.Combine(model, "1", "model.onnx"), Path.Combine(directory, "model.onnx"));
        foreach (var (file, content) in new[] { ("config.json", config), ("labels.txt", labels), ("reference.json", reference) })
        {
            if (content is not null)
            {
                File.WriteAllText(Path.Combine(directory, file), content);
            }
        }
    }
}
