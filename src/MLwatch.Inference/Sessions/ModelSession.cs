using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Sessions;

/// <summary>A loaded, validated ONNX session for one model version, with the cached names and run options a run needs.</summary>
internal sealed class ModelSession : IDisposable
{
    private ModelSession(InferenceSession session, ModelDescriptor model, int classCount)
    {
        Session = session;
        Model = model;
        ClassCount = classCount;
        InputNames = [model.Config.InputName];
        OutputNames = [model.Config.OutputName];
        RunOptions = new RunOptions();
    }

    public InferenceSession Session { get; }

    public ModelDescriptor Model { get; }

    public int ClassCount { get; }

    public string[] InputNames { get; }

    public string[] OutputNames { get; }

    public RunOptions RunOptions { get; }

    public static ModelSession Create(ModelDescriptor model, InferenceOptions settings)
    {
        var path = model.OnnxPath;
        if (!File.Exists(path))
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.InvalidFiles,
                $"{path}: model file not found; model '{model.Name}' version '{model.Version}' expects <models root>/{model.Name}/{model.Version}/model.onnx.");
        }

        InferenceSession session;
        using (var options = new SessionOptions())
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
            options.InterOpNumThreads = settings.InterOpThreads;
            options.ExecutionMode = settings.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL;
            options.GraphOptimizationLevel = OptimizationLevel(settings.GraphOptimization);
            options.EnableCpuMemArena = settings.EnableMemoryArena;
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            try
            {
                session = new InferenceSession(path, options);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelConfigurationException(ModelRejectionReasons.Unloadable, $"{path}: ONNX Runtime cannot load the model: {ex.Message}", ex);
            }
        }

        try
        {
            var classCount = Validate(session, model);
            return new ModelSession(session, model, classCount);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static GraphOptimizationLevel OptimizationLevel(string name) =>
        string.Equals(name, "None", StringComparison.OrdinalIgnoreCase)
            ? GraphOptimizationLevel.ORT_DISABLE_ALL
            : Enum.Parse<GraphOptimizationLevel>("ORT_ENABLE_" + name, ignoreCase: true);

    public void Dispose()
    {
        RunOptions.Dispose();
        Session.Dispose();
    }

    private static int Validate(InferenceSession session, ModelDescriptor model)
    {
        var config = model.Config;
        var path = model.OnnxPath;
        if (!session.InputMetadata.TryGetValue(config.InputName, out var input))
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.InputMismatch,
                $"{path}: has no input named '{config.InputName}' (config 'inputName'); inputs are: {string.Join(", ", session.InputMetadata.Keys)}.");
        }

        if (!session.OutputMetadata.TryGetValue(config.OutputName, out var output))
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.OutputMismatch,
                $"{path}: has no output named '{config.OutputName}' (config 'outputName'); outputs are: {string.Join(", ", session.OutputMetadata.Keys)}.");
        }

        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.Dimensions.Length != 4)
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.InputMismatch,
                $"{path}: input '{config.InputName}' must be a rank-4 float32 tensor, is {Describe(input)}.");
        }

        int[] expected = config.IsChannelsLast
            ? [-1, config.Height, config.Width, config.Channels]
            : [-1, config.Channels, config.Height, config.Width];
        for (var axis = 1; axis < 4; axis++)
        {
            var actual = input.Dimensions[axis];
            if (actual > 0 && actual != expected[axis])
            {
                throw new ModelConfigurationException(
                    ModelRejectionReasons.InputMismatch,
                    $"{path}: input '{config.InputName}' is {Describe(input)}, but config.json ({config.Layout}, {config.Channels}x{config.Height}x{config.Width}) implies {Shape(expected)}.");
            }
        }

        var batch = input.Dimensions[0];
        if (batch > 0 && !(batch == 1 && config.MaxBatchSize == 1))
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.InputMismatch,
                $"{path}: input '{config.InputName}' has a fixed batch size of {batch}; export the model with a dynamic batch axis, or use a batch-1 model with 'maxBatchSize' 1.");
        }

        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 2)
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.OutputMismatch,
                $"{path}: output '{config.OutputName}' must be a rank-2 float32 tensor [N, classes], is {Describe(output)}.");
        }

        var classes = output.Dimensions[1];
        var labelCount = model.Labels.Count;
        if (classes > 0 && classes != labelCount)
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.LabelCountMismatch,
                $"{path}: output '{config.OutputName}' has {classes} classes but labels.txt of model '{model.Name}' has {labelCount} labels; they must match.");
        }

        return labelCount;
    }

    private static string Describe(NodeMetadata metadata) =>
        metadata.IsTensor ? $"{metadata.ElementDataType} {Shape(metadata.Dimensions)}" : metadata.OnnxValueType.ToString();

    private static string Shape(int[] dimensions) =>
        "[" + string.Join(", ", dimensions.Select(d => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : "N")) + "]";
}
