using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Adagrad: a per-weight learning rate that shrinks with the sum of all past squared gradients.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), G (<c>sum</c>) starting at the initial accumulator value, and t the step (1, 2, …):
/// <code>
/// η_t = η / (1 + (t − 1)·lr_decay)
/// G   ← G + g ⊙ g
/// w   ← w − η_t / √(G + ε) ⊙ g          (AdagradEpsilon.InsideRoot, the lecture's form, default)
/// w   ← w − η_t · g / (√G + ε)          (AdagradEpsilon.OutsideRoot, PyTorch's form)
/// </code>
/// With the defaults (lr_decay 0, accumulator 0, ε = 1e-10) and <see cref="AdagradEpsilon.OutsideRoot"/>
/// this is PyTorch's <c>Adagrad</c> exactly.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Adagrad<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _sum;
    private double _learningRateDecay, _weightDecay, _epsilon;
    private AdagradEpsilon _epsilonPlacement;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 0.01 (PyTorch's).</param>
    /// <param name="learningRateDecay">lr_decay, non-negative. Default 0.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="initialAccumulatorValue">The value G starts at, non-negative. Default 0.</param>
    /// <param name="epsilon">ε, positive. Default 1e-10 (PyTorch's).</param>
    /// <param name="epsilonPlacement">Whether ε goes inside the square root (the lecture) or after it (PyTorch).</param>
    public Adagrad(
        IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double epsilon = 1e-10, AdagradEpsilon epsilonPlacement = AdagradEpsilon.InsideRoot)
        : base(parameters, learningRate)
    {
        (LearningRateDecay, WeightDecay, Epsilon, EpsilonPlacement) = (learningRateDecay, weightDecay, epsilon, epsilonPlacement);
        InitialAccumulatorValue = OptimizerChecks.NonNegative(initialAccumulatorValue, "initialAccumulatorValue");
        DeclareHyperparameter("learningRateDecay", () => LearningRateDecay, value => LearningRateDecay = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareHyperparameter("epsilon", () => Epsilon, value => Epsilon = value);
        DeclareHyperparameter("epsilonPlacement", () => (double)EpsilonPlacement, value => EpsilonPlacement = (AdagradEpsilon)(value % 1 == 0 ? (int)value : -1), () => EpsilonPlacement.ToString());
        _sum = DeclareNonNegativeBuffer("sum", initialAccumulatorValue);
    }

    /// <summary>lr_decay: the step size at step t is η / (1 + (t − 1)·lr_decay).</summary>
    public double LearningRateDecay { get => _learningRateDecay; set => _learningRateDecay = OptimizerChecks.NonNegative(value, "learningRateDecay"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>The value the sum of squared gradients G starts at (fixed: it is where state begins).</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε, which keeps the denominator away from zero.</summary>
    public double Epsilon { get => _epsilon; set => _epsilon = OptimizerChecks.Positive(value, "epsilon"); }

    /// <summary>Whether ε is added inside or after the square root.</summary>
    public AdagradEpsilon EpsilonPlacement
    {
        get => _epsilonPlacement;
        set => _epsilonPlacement = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException("epsilonPlacement", FormattableString.Invariant($"epsilonPlacement must be InsideRoot or OutsideRoot, but was {(int)value}."));
    }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        T rate = T.CreateChecked(LearningRate) / T.CreateChecked(1 + (range.Step - 1) * LearningRateDecay); // η_t
        // G ← G + g²; w ← w − η_t·g / √(G + ε) or / (√G + ε), with g + λw for g when λ is set, in one pass.
        AdagradStep.Apply(range.Value, range.Gradient, range.Buffer(_sum), T.CreateChecked(WeightDecay), T.CreateChecked(Epsilon),
            EpsilonPlacement == AdagradEpsilon.InsideRoot, -rate);
    }
}
