using MLwatch.Inference.Models;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Models;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Loads_every_model_under_the_root()
    {
        using var root = new TempDirectory();
        root.CopyTinyModel("alpha");
        root.CopyTinyModel("beta");
        Directory.CreateDirectory(Path.Combine(root.Path, "not-a-model"));

        var catalog = new ModelCatalog(new InferenceOptions { ModelsRoot = root.Path, DefaultModel = "beta" });

        Assert.Equal(["alpha", "beta"], catalog.All.Select(m => m.Name));
        Assert.Equal("beta", catalog.Default.Name);
        Assert.True(catalog.TryGet("alpha", out var alpha));
        Assert.Equal(Path.Combine(root.Path, "alpha", "1", "model.onnx"), alpha.OnnxPath);
        Assert.Equal(10, alpha.Labels.Count);
        Assert.Equal("c9", alpha.Labels[9]);
        Assert.False(catalog.TryGet("gamma", out _));
    }

    [Fact]
    public void Missing_default_model_lists_what_is_present()
    {
        using var root = new TempDirectory();
        root.CopyTinyModel();

        var exception = Assert.Throws<ModelConfigurationException>(
            () => new ModelCatalog(new InferenceOptions { ModelsRoot = root.Path, DefaultModel = "fashion-mnist" }));

        Assert.Contains("default model 'fashion-mnist'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("models present: tiny", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_root_is_reported()
    {
        var exception = Assert.Throws<ModelConfigurationException>(
            () => new ModelCatalog(new InferenceOptions { ModelsRoot = "/nonexistent/models" }));

        Assert.Contains("models root does not exist", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_name_must_match_directory()
    {
        using var root = new TempDirectory();
        var directory = root.CopyTinyModel();
        Directory.Move(directory, Path.Combine(root.Path, "renamed"));

        var exception = Assert.Throws<ModelConfigurationException>(
            () => new ModelCatalog(new InferenceOptions { ModelsRoot = root.Path, DefaultModel = "renamed" }));

        Assert.Contains("'name' must equal the model directory name \"renamed\", was \"tiny\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_labels_file_is_reported()
    {
        using var root = new TempDirectory();
        var directory = root.CopyTinyModel();
        File.WriteAllText(Path.Combine(directory, "labels.txt"), "\n\n");

        var exception = Assert.Throws<ModelConfigurationException>(() => ModelDescriptor.Load(directory));

        Assert.EndsWith("labels.txt: the labels file is empty; write one class label per line.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locates_models_directory_by_walking_up()
    {
        using var root = new TempDirectory();
        var models = Directory.CreateDirectory(Path.Combine(root.Path, "models")).FullName;
        var deep = Directory.CreateDirectory(Path.Combine(root.Path, "src", "app", "bin", "Debug")).FullName;

        Assert.Equal(models, ModelCatalog.LocateModelsRoot(deep));
        Assert.Equal(models, ModelCatalog.LocateModelsRoot(root.Path));
    }
}
