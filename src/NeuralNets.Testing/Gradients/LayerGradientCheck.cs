using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// The contract's gradient check of one layer: central differences of Σ r ⊙ layer(x) against Backward, with a
/// comparison that knows how much the differences themselves can err.
/// </summary>
/// <remarks>
/// Unlike <see cref="GradientCheck.Layer"/> it runs a Forward on a different input before the one whose Backward is
/// checked, so a Backward that reads state of an older pass is caught; it hands Backward a copy of the projection, so a
/// Backward that writes into its argument cannot spoil the numeric side; it fixes the random streams of
/// <see cref="IRandomStreamLayer"/>s (Dropout's masks) so training mode can be checked; and it draws the projection
/// away from zero, so no derivative is small only because its weight in the objective is.
/// </remarks>
internal static class LayerGradientCheck
{
    /// <summary>The finite-difference step: near ∛ε_mach, where truncation and rounding errors balance (see <see cref="GradientCheck"/>).</summary>
    public const double Epsilon = 1e-5;

    // The spacing of doubles at 1 (double.Epsilon is the smallest subnormal, not this).
    private const double MachineEpsilon = 2.220446049250313e-16;

    // How many times the estimated rounding error of a central difference a right derivative may still be off by.
    // Measured over the built-in layers, seeds and shapes no error exceeded the estimate itself (a margin of 1 passed every seed); the margin covers accumulation
    // orders the estimate does not see, while a real slip is off by the size of the derivative itself.
    internal const double RoundingMargin = 16;

    /// <summary>Checks <paramref name="layer"/> at <paramref name="input"/>, after a Forward on <paramref name="decoy"/>.</summary>
    /// <param name="layer">The layer; its parameter gradients are overwritten.</param>
    /// <param name="input">The input checked (perturbed in place, then restored).</param>
    /// <param name="decoy">A different input of the same shape, passed through Forward just before the checked pass.</param>
    /// <param name="seed">Seed of the projection.</param>
    /// <param name="training">Passed to every Forward; random streams are rewound before each, so each pass draws alike.</param>
    /// <param name="tolerance">The relative error the caller will accept; the floor of the comparison is set from it.</param>
    public static GradientCheckResult Check(ILayer<double> layer, Tensor<double> input, Tensor<double> decoy, int seed, bool training, double tolerance)
    {
        var streams = RandomStreams.Of(layer);
        var output = Forward(layer, input, training, streams);
        var outputShape = output.Lengths.ToArray();
        var projection = Projection(seed, (int)output.FlattenedLength);
        double scale = Magnitude(Values(output), projection);

        layer.Forward(decoy, training);
        foreach (var p in layer.Parameters) p.ZeroGradient();
        Forward(layer, input, training, streams);
        var inputGradient = Values(layer.Backward(Tensor.Create((double[])projection.Clone(), outputShape)));
        var analytic = layer.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();

        double Objective() => TensorPrimitives.Dot<double>(Values(Forward(layer, input, training, streams)), projection);
        // Rounding of each evaluation is about ε_mach times the sum of the magnitudes it adds up; the difference of two
        // evaluations divided by 2ε carries it over to the derivative. Below this floor an element is judged absolutely.
        double floor = Math.Max(1e-6, RoundingMargin * MachineEpsilon * scale / Epsilon / tolerance);

        var tensors = new List<GradientCheckTensor>
        {
            new("input", input.Lengths.ToArray().Select(d => (int)d).ToArray(), inputGradient, GradientCheck.CentralDifferences(Flat(input), Objective, Epsilon), floor),
        };
        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            var p = layer.Parameters[i];
            tensors.Add(new GradientCheckTensor(p.Name, p.Shape, analytic[i], GradientCheck.CentralDifferences(p.ValueSpan, Objective, Epsilon), floor));
        }
        return GradientCheckResult.Of(tensors);
    }

    private static Tensor<double> Forward(ILayer<double> layer, Tensor<double> input, bool training, RandomStreams streams)
    {
        streams.Rewind();
        return layer.Forward(input, training);
    }

    // The inputs the kit makes are dense, so their elements lie one after another from the first and can be moved in place.
    private static Span<double> Flat(Tensor<double> tensor) =>
        MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));

    // What a layer returns may be strided; FlattenTo reads it in row-major order either way.
    private static double[] Values(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    // Uniform in ±[0.5, 1]: every output element weighs in the objective with a size of its own order.
    private static double[] Projection(int seed, int length)
    {
        var random = new Random(seed);
        var projection = new double[length];
        for (int i = 0; i < length; i++)
        {
            double magnitude = 0.5 + random.NextDouble() / 2;
            projection[i] = random.Next(2) == 0 ? -magnitude : magnitude;
        }
        return projection;
    }

    // Σ |r_i·y_i|, or the count of terms where that is smaller (a layer whose outputs are near zero still rounds its sums).
    private static double Magnitude(ReadOnlySpan<double> output, double[] projection)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += Math.Abs(output[i] * projection[i]);
        return double.IsFinite(sum) ? Math.Max(sum, 1) : 1;
    }
}
