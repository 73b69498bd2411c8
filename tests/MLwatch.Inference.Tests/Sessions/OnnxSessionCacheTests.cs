using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Sessions;

public sealed class OnnxSessionCacheTests
{
    [Fact]
    public void One_session_per_model_and_version_even_under_concurrency()
    {
        using var cache = new OnnxSessionCache(new InferenceOptions());
        var model = TestModels.Tiny;
        var sessions = new ModelSession[32];

        Parallel.For(0, sessions.Length, i => sessions[i] = cache.GetSession(i % 2 == 0 ? model : TestModels.Tiny));

        Assert.All(sessions, s => Assert.Same(sessions[0], s));
        Assert.True(cache.IsLoaded(model));
        Assert.Equal(10, sessions[0].ClassCount);
    }

    [Fact]
    public void Label_count_must_match_output_dimension()
    {
        using var root = new TempDirectory();
        var directory = root.CopyTinyModel();
        File.WriteAllLines(Path.Combine(directory, "labels.txt"), Enumerable.Range(0, 9).Select(i => $"c{i}"));
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(ModelDescriptor.Load(directory)));

        Assert.Contains("has 10 classes but labels.txt of model 'tiny' has 9 labels", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_input_name_lists_the_real_inputs()
    {
        var model = Rewrite(TestModels.Tiny, c => c with { InputName = "images" });
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(model));

        Assert.Contains("has no input named 'images' (config 'inputName'); inputs are: input.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_output_name_lists_the_real_outputs()
    {
        var model = Rewrite(TestModels.Tiny, c => c with { OutputName = "probs" });
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(model));

        Assert.Contains("has no output named 'probs'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_mismatch_with_model_input_is_reported()
    {
        var model = Rewrite(TestModels.Tiny, c => c with { Layout = ModelConfig.LayoutNhwc });
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(model));

        Assert.Contains("input 'input' is Float [N, 1, 28, 28], but config.json (NHWC, 1x28x28) implies [N, 28, 28, 1]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_is_reported_and_not_cached()
    {
        using var root = new TempDirectory();
        var directory = root.CopyTinyModel();
        var onnx = Path.Combine(directory, "1", "model.onnx");
        var moved = onnx + ".away";
        File.Move(onnx, moved);
        var model = ModelDescriptor.Load(directory);
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(model));
        Assert.Contains("model file not found", exception.Message, StringComparison.Ordinal);

        File.Move(moved, onnx);
        cache.EnsureLoaded(model);
        Assert.True(cache.IsLoaded(model));
    }

    [Fact]
    public void Garbage_model_file_is_reported()
    {
        using var root = new TempDirectory();
        var directory = root.CopyTinyModel();
        File.WriteAllText(Path.Combine(directory, "1", "model.onnx"), "not a model");
        using var cache = new OnnxSessionCache(new InferenceOptions());

        var exception = Assert.Throws<ModelConfigurationException>(() => cache.EnsureLoaded(ModelDescriptor.Load(directory)));

        Assert.Contains("ONNX Runtime cannot load the model", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_cache_refuses_use()
    {
        var cache = new OnnxSessionCache(new InferenceOptions());
        cache.EnsureLoaded(TestModels.Tiny);

        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.EnsureLoaded(TestModels.Tiny));
    }

    private static ModelDescriptor Rewrite(ModelDescriptor model, Func<ModelConfig, ModelConfig> change) =>
        new(change(model.Config), model.Labels, model.OnnxPath);
}
