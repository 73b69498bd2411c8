using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Tests.Support;

namespace MLwatch.Inference.Tests.Sessions;

public sealed class ModelValidatorTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly OnnxSessionCache _sessions = new(new InferenceOptions { IntraOpThreads = 1, DecodeWorkers = 1 });

    [Fact]
    public void The_committed_model_passes_with_its_signature_and_checksum()
    {
        var model = ModelDescriptor.Load(TestModels.FashionMnistDirectory);

        var result = new ModelValidator(_sessions).Validate(model);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(new ModelSignature("input", "[N, 1, 28, 28]", "logits", "[N, 10]", 10), result.Signature);
        Assert.Equal(ModelValidator.Sha256Of(model.OnnxPath), result.Sha256);
        Assert.Equal(64, result.Sha256!.Length);
        Assert.True(_sessions.IsLoaded(model));
    }

    [Theory]
    [InlineData("truncated", ModelRejectionReasons.Unloadable, "ONNX Runtime cannot load the model")]
    [InlineData("wrong-input-shape", ModelRejectionReasons.InputMismatch, "input 'input' is Float [N, 1, 32, 32], but config.json (NCHW, 1x28x28) implies [N, 1, 28, 28]")]
    [InlineData("wrong-output-width", ModelRejectionReasons.LabelCountMismatch, "output 'logits' has 7 classes but labels.txt of model 'fashion-mnist' has 10 labels")]
    [InlineData("nan-outputs", ModelRejectionReasons.NonFiniteOutput, "output 'logits' holds NaN for a black image (score 0); 20 of 20 outputs of the smoke batch are not finite")]
    public void A_broken_model_is_rejected_with_its_reason_and_leaves_no_session(string kind, string reason, string message)
    {
        var model = BrokenVersion(kind);

        var result = new ModelValidator(_sessions).Validate(model);

        Assert.False(result.Passed);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        Assert.StartsWith(model.OnnxPath, result.Message, StringComparison.Ordinal);
        Assert.False(_sessions.IsLoaded(model));
    }

    [Fact]
    public void A_valid_generated_model_passes_so_the_broken_ones_fail_only_where_they_are_broken()
    {
        var result = new ModelValidator(_sessions).Validate(BrokenVersion("valid"));

        Assert.True(result.Passed, result.Message);
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _root.Dispose();
    }

    /// <summary>A copy of models/fashion-mnist whose version "9" holds broken model <paramref name="kind"/>.</summary>
    private ModelDescriptor BrokenVersion(string kind)
    {
        var model = Directory.CreateDirectory(Path.Combine(_root.Path, "fashion-mnist")).FullName;
        foreach (var file in new[] { "config.json", "labels.txt" })
        {
            File.Copy(Path.Combine(TestModels.FashionMnistDirectory, file), Path.Combine(model, file), overwrite: true);
        }

        var version = Directory.CreateDirectory(Path.Combine(model, "9")).FullName;
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), BrokenModels.Build(kind, Path.Combine(TestModels.FashionMnistDirectory, "1", "model.onnx")));
        return ModelRepository.LoadVersion(model, "9");
    }
}
