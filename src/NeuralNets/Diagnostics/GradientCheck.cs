using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Finite-difference checks of Backward, in double: each input and parameter element is moved by
/// ±ε and the central difference (f(x+ε) − f(x−ε)) / 2ε is compared with the analytic derivative.
/// </summary>
/// <remarks>
/// The relative error of one element is |a − n| / max(|a|, |n|, <c>floor</c>); the floor (default 1e-6)
/// keeps derivatives that are zero up to rounding from reporting huge relative errors.
/// <para>The central difference errs by about ε²·f‴/6 (truncation) plus ε_mach·|f|/ε (rounding of f, ε_mach ≈ 2.2e-16), so
/// the error is smallest near ε = ∛ε_mach ≈ 6e-6 for f of order one; the default ε = 1e-5 sits there. Rounding is measured
/// against the whole objective, so an element whose derivative is small next to it shows a larger relative error. Measured
/// at ε = 1e-5 over 20 seeds: small correct layers (Dense, Conv2D, Sigmoid, Tanh, Softmax) stay below 1e-7, and small correct
/// networks with a loss (derivatives down to 1e-5) below 2e-6; at the former default ε = 1e-6 the same networks reached
/// 3.5e-5 and Conv2D 5e-6. A tolerance of 1e-6 for such layers and 1e-5 for whole networks separates right from wrong.
/// Larger layers sum more terms into the objective, and the floor does not grow with them: Dense(64, 33) reached 1.5e-5
/// and Dense(256, 64) 8.4e-6 over 20 seeds. The coursework kit's layer contract judges each element against the
/// difference's own rounding instead.
/// A step across a kink (ReLU at 0, the arg-max of MaxPool) gives a wrong numeric derivative whatever ε: draw inputs away from them.</para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>Checks a layer: the objective is Σ r ⊙ layer(x) for a fixed random r, so every output element is exercised.</summary>
    /// <param name="layer">The layer; its parameter gradients are overwritten.</param>
    /// <param name="input">The input batch (perturbed in place, then restored).</param>
    /// <param name="seed">Seed of the projection r.</param>
    /// <param name="epsilon">The step ε.</param>
    /// <param name="floor">The denominator's floor.</param>
    /// <param name="training">Passed to Forward; leave false for layers that draw random masks.</param>
    public static GradientCheckResult Layer(ILayer<double> layer, Tensor<double> input, int seed = 0, double epsilon = 1e-5, double floor = 1e-6, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        var probe = layer.Forward(input, training);
        var projection = new double[probe.FlattenedLength];
        var random = new Random(seed);
        for (int i = 0; i < projection.Length; i++) projection[i] = random.NextDouble() * 2 - 1;
        var projectionTensor = TensorMemory.Wrap(projection, probe.Shape());

        double Objective() => TensorPrimitives.Dot<double>(layer.Forward(input, training).Span(), projection);
        foreach (var p in layer.Parameters) p.ZeroGradient();
        layer.Forward(input, training);
        var inputGradient = layer.Backward(projectionTensor).Span().ToArray();
        return Compare(layer.Parameters, input.Span(), input.Shape(), inputGradient, Objective, epsilon, floor);
    }

    /// <summary>Checks a loss's gradient with respect to the output it is given.</summary>
    public static GradientCheckResult Loss(ILoss<double> loss, Tensor<double> output, Tensor<double> target, double epsilon = 1e-5, double floor = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        loss.Forward(output, target);
        var analytic = loss.Backward().Span().ToArray();
        return Compare([], output.Span(), output.Shape(), analytic, () => loss.Forward(output, target), epsilon, floor);
    }

    /// <summary>Checks a whole network with its loss, for every parameter and the input.</summary>
    public static GradientCheckResult Network(ILayer<double> network, ILoss<double> loss, Tensor<double> input, Tensor<double> target, double epsilon = 1e-5, double floor = 1e-6, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var p in network.Parameters) p.ZeroGradient();
        loss.Forward(network.Forward(input, training), target);
        var inputGradient = network.Backward(loss.Backward()).Span().ToArray();
        return Compare(network.Parameters, input.Span(), input.Shape(), inputGradient, () => loss.Forward(network.Forward(input, training), target), epsilon, floor);
    }

    private static GradientCheckResult Compare(
        IReadOnlyList<Parameter<double>> parameters, Span<double> input, int[] inputShape, double[] inputGradient,
        Func<double> objective, double epsilon, double floor)
    {
        ArgumentRange.ThrowIfNegativeOrZero(epsilon);
        // Analytic gradients are copied first: perturbing re-runs Forward, which may reuse buffers.
        var analyticByParameter = new double[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++) analyticByParameter[i] = parameters[i].GradientSpan.ToArray();

        var tensors = new GradientCheckTensor[parameters.Count + 1];
        tensors[0] = new GradientCheckTensor("input", inputShape, inputGradient, CentralDifferences(input, objective, epsilon), floor);
        for (int i = 0; i < parameters.Count; i++)
            tensors[i + 1] = new GradientCheckTensor(parameters[i].Name, parameters[i].Shape, analyticByParameter[i],
                CentralDifferences(parameters[i].ValueSpan, objective, epsilon), floor);

        return GradientCheckResult.Of(tensors);
    }

    /// <summary>
    /// The central differences (f(x + ε) − f(x − ε)) / 2ε of <paramref name="objective"/> with respect to each element of
    /// <paramref name="values"/>, which it moves in place and puts back: the numeric side of every check here, for a
    /// check of one's own objective (see <see cref="GradientCheckResult.Of"/>).
    /// </summary>
    /// <param name="values">The elements to move; each is restored exactly after its two evaluations.</param>
    /// <param name="objective">The objective, evaluated twice per element.</param>
    /// <param name="epsilon">The step ε, positive.</param>
    public static double[] CentralDifferences(Span<double> values, Func<double> objective, double epsilon = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentRange.ThrowIfNegativeOrZero(epsilon);
        var numeric = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            values[i] = original + epsilon;
            double plus = objective();
            values[i] = original - epsilon;
            double minus = objective();
            values[i] = original;
            numeric[i] = (plus - minus) / (2 * epsilon);
        }
        return numeric;
    }
}
