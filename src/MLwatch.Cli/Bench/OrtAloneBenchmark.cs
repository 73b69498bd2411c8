using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;

namespace MLwatch.Cli.Bench;

/// <summary>
/// ONNX Runtime alone, on tensors decoded beforehand: for every intra-op thread count up to the processors and every
/// power-of-two batch up to 64, how many images a second one session runs. The best of them is what the model itself
/// costs on this machine, the ceiling no pipeline can pass.
/// </summary>
public static class OrtAloneBenchmark
{
    private const int LargestBatch = 64;

    /// <summary>Measures each configuration for <paramref name="slice"/>.</summary>
    public static IReadOnlyList<OrtMeasurement> Run(BenchInputs inputs, TimeSpan slice, Action<string> progress)
    {
        var model = inputs.Model;
        var config = model.Config;
        var length = config.ImageTensorLength;
        var tensors = Preprocess(inputs);
        var results = new List<OrtMeasurement>();
        for (var threads = 1; threads <= Environment.ProcessorCount; threads++)
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            using var session = new InferenceSession(model.OnnxPath, options);
            using var run = new RunOptions();
            for (var batch = 1; batch <= LargestBatch; batch *= 2)
            {
                var input = new float[batch * length];
                for (var i = 0; i < batch; i++)
                {
                    tensors[i % tensors.Length].CopyTo(input.AsSpan(i * length));
                }

                var output = new float[batch * model.Labels.Count];
                long[] shape = config.IsChannelsLast ? [batch, config.Height, config.Width, config.Channels] : [batch, config.Channels, config.Height, config.Width];
                using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(), shape);
                using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(), [batch, (long)model.Labels.Count]);
                string[] inputNames = [config.InputName];
                string[] outputNames = [config.OutputName];
                OrtValue[] inputValues = [inputValue];
                OrtValue[] outputValues = [outputValue];
                session.Run(run, inputNames, inputValues, outputNames, outputValues);
                var images = 0L;
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < slice)
                {
                    session.Run(run, inputNames, inputValues, outputNames, outputValues);
                    images += batch;
                }

                var measurement = new OrtMeasurement(threads, batch, images / clock.Elapsed.TotalSeconds);
                progress($"ONNX Runtime alone: {threads} thread(s), batch {batch}: {measurement.ImagesPerSecond:N0} images/s");
                results.Add(measurement);
            }
        }

        return results;
    }

    private static float[][] Preprocess(BenchInputs inputs)
    {
        var preprocessor = new ImagePreprocessor(new InferenceOptions());
        return [.. inputs.Images.Take(LargestBatch).Select(image =>
        {
            var tensor = new float[inputs.Model.Config.ImageTensorLength];
            preprocessor.Preprocess(image, inputs.Model, tensor);
            return tensor;
        })];
    }
}

/// <summary>One configuration of <see cref="OrtAloneBenchmark"/>.</summary>
public sealed record OrtMeasurement(int IntraOpThreads, int BatchSize, double ImagesPerSecond);
