using Google.Protobuf;
using Onnx;

namespace MLwatch.Inference.Tests.Support;

/// <summary>
/// ONNX models that must not be served, built in C# (OnnxSharp's protobuf types), never committed: a linear classifier
/// Flatten → MatMul over a 1-channel image, with a chosen input size, output width or weights, and the committed
/// Fashion-MNIST model cut short. Each matches models/fashion-mnist's config.json (input "input" NCHW 1×28×28, output
/// "logits" of 10) except in the one way it is broken.
/// </summary>
internal static class BrokenModels
{
    /// <summary>The four ways a version is broken that the tests publish, with the reason code each must be rejected with.</summary>
    public static IReadOnlyList<(string Name, string Reason)> Kinds { get; } =
    [
        ("truncated", "onnx-unloadable"),
        ("wrong-input-shape", "input-mismatch"),
        ("wrong-output-width", "label-count-mismatch"),
        ("nan-outputs", "non-finite-output"),
    ];

    /// <summary>The model.onnx bytes of broken model <paramref name="kind"/> (see <see cref="Kinds"/>); <paramref name="committedOnnx"/> is the file the truncated one is cut from.</summary>
    public static byte[] Build(string kind, string committedOnnx) => kind switch
    {
        "truncated" => File.ReadAllBytes(committedOnnx)[..(int)(new FileInfo(committedOnnx).Length / 2)],
        "wrong-input-shape" => Linear(side: 32, classes: 10, weight: 0.001f),
        "wrong-output-width" => Linear(side: 28, classes: 7, weight: 0.001f),
        "nan-outputs" => Linear(side: 28, classes: 10, weight: float.NaN),
        "valid" => Linear(side: 28, classes: 10, weight: 0.001f),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown broken model"),
    };

    /// <summary>
    /// logits = log(flatten(input) · 1): finite for an image whose pixels sum to more than 0, NaN for one whose sum is
    /// negative. It passes validation's smoke batch only if that batch is positive, and fails some records at run time.
    /// </summary>
    public static byte[] LogOfSum(int classes) => Linear(side: 28, classes, weight: 1f, then: "Log");

    /// <summary>
    /// logits = flatten(input) · 0.001 + gather([0], (int64)Σ input): ONNX Runtime fails to run it (Gather's index out
    /// of range) when the pixels of the batch sum to 1 or more, so it fails a batch holding one bright image and runs the
    /// darker ones alone. A black smoke batch passes validation.
    /// </summary>
    public static byte[] FailsOnBrightImages(int classes)
    {
        var model = ModelProto.Parser.ParseFrom(Linear(side: 28, classes, weight: 0.001f));
        var graph = model.Graph;
        graph.Node.Single(node => node.OpType == "MatMul").Output[0] = "product";
        graph.Node.Add(new NodeProto
        {
            OpType = "ReduceSum",
            Input = { "flat" },
            Output = { "sum" },
            Attribute = { new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 } },
        });
        graph.Node.Add(new NodeProto
        {
            OpType = "Cast",
            Input = { "sum" },
            Output = { "index" },
            Attribute = { new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int64 } },
        });
        var zero = new TensorProto { Name = "zero", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1 } };
        zero.FloatData.Add(0f);
        graph.Initializer.Add(zero);
        graph.Node.Add(new NodeProto { OpType = "Gather", Input = { "zero", "index" }, Output = { "picked" } });
        graph.Node.Add(new NodeProto { OpType = "Add", Input = { "product", "picked" }, Output = { "logits" } });
        return model.ToByteArray();
    }

    /// <summary>logits = flatten(input) · W, input [N, 1, side, side], W [side², classes] filled with <paramref name="weight"/>; <paramref name="then"/> names a unary operator applied to it.</summary>
    public static byte[] Linear(int side, int classes, float weight, string? then = null)
    {
        var pixels = side * side;
        var graph = new GraphProto { Name = "mlwatch-test-linear" };
        graph.Node.Add(new NodeProto
        {
            OpType = "Flatten",
            Input = { "input" },
            Output = { "flat" },
            Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
        });
        graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "flat", "W" }, Output = { then is null ? "logits" : "product" } });
        if (then is not null)
        {
            graph.Node.Add(new NodeProto { OpType = then, Input = { "product" }, Output = { "logits" } });
        }

        var weights = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float, Dims = { pixels, classes } };
        weights.FloatData.AddRange(Enumerable.Repeat(weight, pixels * classes));
        graph.Initializer.Add(weights);
        graph.Input.Add(Tensor("input", [null, 1, side, side]));
        graph.Output.Add(Tensor("logits", [null, classes]));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "mlwatch-tests",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 13 } },
        };
        return model.ToByteArray();
    }

    private static ValueInfoProto Tensor(string name, long?[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(dimension is { } value ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
