using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Adadelta: Adagrad over a decaying window of past gradients, with the step's units fixed by past updates.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), E[g²] (<c>square_avg</c>) and E[Δw²] (<c>acc_delta</c>) starting at 0,
/// decay ρ and learning rate η:
/// <code>
/// E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
/// Δw     = √(E[Δw²] + ε) / √(E[g²] + ε) ⊙ g
/// E[Δw²] ← ρ·E[Δw²] + (1 − ρ)·Δw²
/// w      ← w − η·Δw
/// </code>
/// This is PyTorch's <c>Adadelta</c>; η = 1 is Zeiler's original rule.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Adadelta<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _squareAverage, _accumulatedDelta;
    private double _rho, _epsilon, _weightDecay;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 1.0 (PyTorch's).</param>
    /// <param name="rho">ρ, the decay of both running averages, in [0, 1). Default 0.9.</param>
    /// <param name="epsilon">ε, positive. Default 1e-6.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    public Adadelta(IEnumerable<Parameter<T>> parameters, double learningRate = 1.0, double rho = 0.9, double epsilon = 1e-6, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        (Rho, Epsilon, WeightDecay) = (rho, epsilon, weightDecay);
        DeclareHyperparameter("rho", () => Rho, value => Rho = value);
        DeclareHyperparameter("epsilon", () => Epsilon, value => Epsilon = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        _squareAverage = DeclareNonNegativeBuffer("square_avg");
        _accumulatedDelta = DeclareNonNegativeBuffer("acc_delta");
    }

    /// <summary>ρ, the decay of the running averages.</summary>
    public double Rho { get => _rho; set => _rho = OptimizerChecks.UnitInterval(value, "rho"); }

    /// <summary>ε, added inside both square roots.</summary>
    public double Epsilon { get => _epsilon; set => _epsilon = OptimizerChecks.Positive(value, "epsilon"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        // The rule of the remarks in one pass.
        T rho = T.CreateChecked(Rho);
        AdadeltaStep.Apply(range.Value, range.Gradient, range.Buffer(_squareAverage), range.Buffer(_accumulatedDelta),
            T.CreateChecked(WeightDecay), rho, T.One - rho, T.CreateChecked(Epsilon), -T.CreateChecked(LearningRate));
    }
}
