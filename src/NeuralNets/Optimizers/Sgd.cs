using System.Runtime.CompilerServices;
using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Plain stochastic gradient descent.</summary>
/// <remarks>
/// With g = ∇J(w) at the current w (averaged over the mini-batch by the loss) and η the learning rate:
/// <code>
/// w ← w − η·g
/// </code>
/// With the L2 weight decay λ set, g is ∇J(w) + λ·w (PyTorch's <c>SGD(weight_decay=λ)</c>). It keeps no state but the step count.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sgd<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _weightDecay;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        WeightDecay = weightDecay;
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
    }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Update(ElementRange<T> range)
    {
        // w ← w − η·(g + λw), in one pass.
        SgdStep.Apply(range.Value, range.Gradient, T.CreateChecked(WeightDecay), -T.CreateChecked(LearningRate));
    }
}
