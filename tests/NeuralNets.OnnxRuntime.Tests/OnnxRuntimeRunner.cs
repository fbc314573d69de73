using System.Numerics.Tensors;
using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.OnnxRuntime.Tests;

/// <summary>Runs a network's ONNX export in ONNX Runtime and compares the answer with <see cref="Sequential{T}.Predict(Tensor{T})"/>.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>ONNX Runtime's output for <paramref name="input"/> ([batch, ...sample], row-major) on the exported model.</summary>
    public static T[] Run<T>(byte[] model, T[] input, int[] shape) where T : unmanaged => RunWithShape(model, input, shape).Values;

    /// <summary>ONNX Runtime's output for <paramref name="input"/>, with the output's shape.</summary>
    public static (T[] Values, long[] Shape) RunWithShape<T>(byte[] model, T[] input, int[] shape) where T : unmanaged
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [value], ["output"]);
        return (outputs[0].GetTensorDataAsSpan<T>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape);
    }

    /// <summary>
    /// The worst element-wise relative difference between NeuralNets and ONNX Runtime: |ours − ort| / max(|ort|, floor),
    /// the floor being 1e-2 of the output's largest magnitude. Without a floor an output that is a sum cancelling to near
    /// zero (a Dense unit, an average) shows its rounding as a large relative error, whoever computed it.
    /// </summary>
    public static double WorstRelativeError<T>(Sequential<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = new T[batch.FlattenedLength];
        batch.FlattenTo(input);
        var ours = new T[network.Predict(batch).FlattenedLength];
        network.Predict(batch).FlattenTo(ours);
        var theirs = Run(OnnxFile.ToBytes(network), input, batch.Lengths.ToArray().Select(l => (int)l).ToArray());
        theirs.Length.Should().Be(ours.Length);
        double scale = theirs.Max(v => Math.Abs(double.CreateChecked(v)));
        double floor = Math.Max(scale * 1e-2, double.Epsilon);
        double worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double a = double.CreateChecked(ours[i]), b = double.CreateChecked(theirs[i]);
            worst = Math.Max(worst, Math.Abs(a - b) / Math.Max(Math.Abs(b), floor));
        }
        return worst;
    }

    public static Tensor<T> Random<T>(int seed, int batch, IReadOnlyList<int> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var shape = new[] { batch }.Concat(sample).ToArray();
        var values = new T[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.NextDouble() * 4 - 2);
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }
}
