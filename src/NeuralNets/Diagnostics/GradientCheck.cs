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
/// The relative error of one element is |a − n| / max(|a|, |n|, <c>floor</c>); the floor keeps derivatives that are zero
/// up to rounding from reporting huge relative errors. <see cref="GradientCheckOptions.Judgement"/> chooses it: a fixed 1e-6
/// by default (<see cref="GradientCheckJudgement.FixedFloor"/>), or one that grows with the rounding of the objective
/// (<see cref="GradientCheckJudgement.ScaleAware"/>).
/// <para>The central difference errs by about ε²·f‴/6 (truncation) plus ε_mach·|f|/ε (rounding of f, ε_mach ≈ 2.2e-16), so
/// the error is smallest near ε = ∛ε_mach ≈ 6e-6 for f of order one; the default ε = 1e-5 sits there. Rounding is measured
/// against the whole objective, so an element whose derivative is small next to it shows a larger relative error. Measured
/// at ε = 1e-5 over 20 seeds: small correct layers (Dense, Conv2D, Sigmoid, Tanh, Softmax) stay below 1e-7, and small correct
/// networks with a loss (derivatives down to 1e-5) below 2e-6; at the former default ε = 1e-6 the same networks reached
/// 3.5e-5 and Conv2D 5e-6. A tolerance of 1e-6 for such layers and 1e-5 for whole networks separates right from wrong.
/// Larger layers sum more terms into the objective, and the fixed floor does not grow with them: Dense(64, 33) reached 1.5e-5
/// and Dense(256, 64) 8.4e-6 over 20 seeds. The scale-aware judgement passes both at 1e-6 on every seed.
/// A step across a kink (ReLU at 0, the arg-max of MaxPool) gives a wrong numeric derivative whatever ε: draw inputs away from them.</para>
/// </remarks>
public static partial class GradientCheck
{
    /// <summary>Checks a layer with the fixed floor: the objective is Σ r ⊙ layer(x) for a fixed random r, so every output element is exercised.</summary>
    /// <param name="layer">The layer; its parameter gradients are overwritten.</param>
    /// <param name="input">The input batch (perturbed in place, then restored).</param>
    /// <param name="seed">Seed of the projection r.</param>
    /// <param name="epsilon">The step ε.</param>
    /// <param name="floor">The denominator's floor.</param>
    /// <param name="training">Passed to Forward; random streams (Dropout's masks) are rewound before each pass.</param>
    public static GradientCheckResult Layer(ILayer<double> layer, Tensor<double> input, int seed = 0, double epsilon = 1e-5, double floor = 1e-6, bool training = false) =>
        Layer(layer, input, new GradientCheckOptions { Seed = seed, Epsilon = epsilon, Floor = floor, Training = training });

    /// <summary>Checks a layer as <paramref name="options"/> say: the objective is Σ r ⊙ layer(x) for a fixed random r, so every output element is exercised.</summary>
    /// <param name="layer">The layer; its parameter gradients are overwritten.</param>
    /// <param name="input">The input batch, dense (perturbed in place, then restored).</param>
    /// <param name="options">The judgement, step, seed, mode and prior input.</param>
    public static GradientCheckResult Layer(ILayer<double> layer, Tensor<double> input, GradientCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var streams = RandomStreamPositions.Capture(layer);
        var probe = Pass(layer, input, options.Training, streams);
        var projection = Projection(options.Seed, (int)probe.FlattenedLength, options.Judgement);
        double scale = Magnitude(Values(probe), projection);

        PriorPass(layer, options);
        foreach (var p in layer.Parameters) p.ZeroGradient();
        Pass(layer, input, options.Training, streams);
        // A copy: a Backward that writes into its argument must not change the objective the differences measure.
        var inputGradient = Values(layer.Backward(TensorMemory.Wrap((double[])projection.Clone(), probe.Shape())));

        double Objective() => TensorPrimitives.Dot<double>(Values(Pass(layer, input, options.Training, streams)), projection);
        return Compare(layer.Parameters, input, inputGradient, Objective, scale, options);
    }

    /// <summary>Checks a loss's gradient with respect to the output it is given, with the fixed floor.</summary>
    public static GradientCheckResult Loss(ILoss<double> loss, Tensor<double> output, Tensor<double> target, double epsilon = 1e-5, double floor = 1e-6) =>
        Loss(loss, output, target, new GradientCheckOptions { Epsilon = epsilon, Floor = floor });

    /// <summary>Checks a loss's gradient with respect to the output it is given, as <paramref name="options"/> say (their seed, mode and prior input do not apply).</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="output">The output the loss judges, dense (perturbed in place, then restored).</param>
    /// <param name="target">The target.</param>
    /// <param name="options">The judgement and step.</param>
    public static GradientCheckResult Loss(ILoss<double> loss, Tensor<double> output, Tensor<double> target, GradientCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        double value = loss.Forward(output, target);
        var analytic = Values(loss.Backward());
        double scale = LossMagnitude(value, Values(output), analytic);
        return Compare([], output, analytic, () => loss.Forward(output, target), scale, options);
    }

    /// <summary>Checks a whole network with its loss, for every parameter and the input, with the fixed floor.</summary>
    public static GradientCheckResult Network(ILayer<double> network, ILoss<double> loss, Tensor<double> input, Tensor<double> target, double epsilon = 1e-5, double floor = 1e-6, bool training = false) =>
        Network(network, loss, input, target, new GradientCheckOptions { Epsilon = epsilon, Floor = floor, Training = training });

    /// <summary>Checks a whole network with its loss, for every parameter and the input, as <paramref name="options"/> say (their seed does not apply).</summary>
    /// <param name="network">The network; its parameter gradients are overwritten.</param>
    /// <param name="loss">The loss on its output.</param>
    /// <param name="input">The input batch, dense (perturbed in place, then restored).</param>
    /// <param name="target">The target.</param>
    /// <param name="options">The judgement, step, mode and prior input.</param>
    public static GradientCheckResult Network(ILayer<double> network, ILoss<double> loss, Tensor<double> input, Tensor<double> target, GradientCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var streams = RandomStreamPositions.Capture(network);
        PriorPass(network, options);
        foreach (var p in network.Parameters) p.ZeroGradient();
        var output = Pass(network, input, options.Training, streams);
        double value = loss.Forward(output, target);
        var outputGradient = loss.Backward();
        double scale = LossMagnitude(value, Values(output), Values(outputGradient));
        var inputGradient = Values(network.Backward(outputGradient));
        return Compare(network.Parameters, input, inputGradient, () => loss.Forward(Pass(network, input, options.Training, streams), target), scale, options);
    }

    private static Tensor<double> Pass(ILayer<double> layer, Tensor<double> input, bool training, RandomStreamPositions streams)
    {
        streams.Restore();
        return layer.Forward(input, training);
    }

    // Not rewound: the prior pass draws masks of its own, so a Backward that kept its mask cannot pass by luck.
    private static void PriorPass(ILayer<double> layer, GradientCheckOptions options)
    {
        if (options.PriorInput is { } prior) layer.Forward(prior, options.Training);
    }

    private static GradientCheckResult Compare(
        IReadOnlyList<Parameter<double>> parameters, Tensor<double> input, double[] inputGradient,
        Func<double> objective, double scale, GradientCheckOptions options)
    {
        // Analytic gradients are copied first: perturbing re-runs Forward, which may reuse buffers.
        var analyticByParameter = new double[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++) analyticByParameter[i] = parameters[i].GradientSpan.ToArray();

        double floor = Floor(scale, options);
        var tensors = new GradientCheckTensor[parameters.Count + 1];
        tensors[0] = new GradientCheckTensor("input", input.Shape(), inputGradient, CentralDifferences(input.Span(), objective, options.Epsilon), floor);
        for (int i = 0; i < parameters.Count; i++)
            tensors[i + 1] = new GradientCheckTensor(parameters[i].Name, parameters[i].Shape, analyticByParameter[i],
                CentralDifferences(parameters[i].ValueSpan, objective, options.Epsilon), floor);

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

    // What a layer or loss returns may be strided; FlattenTo reads it in row-major order either way.
    private static double[] Values(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
