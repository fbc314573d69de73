using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;

namespace NeuralNets.Testing.Contract;

/// <summary>Seeded tensors and element-wise comparisons for the contract's rules.</summary>
internal static class ContractTensors
{
    public static Tensor<double> Random(int seed, IReadOnlyList<int> shape)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 2 - 1;
        return Create(values, shape);
    }

    public static Tensor<double> Create(double[] values, IReadOnlyList<int> shape) =>
        Tensor.Create(values, shape.Select(d => (nint)d).ToArray());

    public static int[] Batched(int batch, IReadOnlyList<int> sample) => [batch, .. sample];

    public static int[] Shape(Tensor<double> tensor)
    {
        var shape = new int[tensor.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = (int)tensor.Lengths[i];
        return shape;
    }

    public static double[] Values(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    public static int Count(IReadOnlyList<int> shape)
    {
        int count = 1;
        foreach (int d in shape) count *= d;
        return count;
    }

    /// <summary>The first element where |a − b| exceeds tolerance·max(1, |b|), described with its place; null when none does.</summary>
    /// <remarks>NaN equals NaN here: a layer that returns NaN where the reference does is consistent, and other rules catch NaN.</remarks>
    public static string? FirstDifference(string name, IReadOnlyList<int> shape, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, string actualLabel, string expectedLabel)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double a = actual[i], e = expected[i];
            if (double.IsNaN(a) && double.IsNaN(e)) continue;
            if (!(Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e))))
                return string.Create(KitText.Numbers, $"{GradientCheckTensor.FormatLocation(name, shape, i)}: {actualLabel} {a:G10}, {expectedLabel} {e:G10}");
        }
        return null;
    }

    public static string ShapeText(IReadOnlyList<int> shape) => Gradients.GradientPattern.ShapeText(shape);
}
