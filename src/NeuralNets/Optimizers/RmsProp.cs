using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>RMSprop: the gradient divided by the root of a decaying average of its square; optionally centered and with momentum.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), v (<c>square_avg</c>), ḡ (<c>grad_avg</c>) and b (<c>momentum_buffer</c>) starting at 0:
/// <code>
/// v ← α·v + (1 − α)·g²
/// ḡ ← α·ḡ + (1 − α)·g                  (centered only)
/// d = √(v − ḡ²) + ε   if centered,   √v + ε   otherwise
/// b ← μ·b + g / d;  w ← w − η·b       (momentum μ &gt; 0)
/// w ← w − η·g / d                     (μ = 0)
/// </code>
/// This is PyTorch's <c>RMSprop</c>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RmsProp<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _squareAverage, _gradientAverage, _momentumBuffer;
    private double _alpha, _epsilon, _weightDecay, _momentum;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 0.01 (PyTorch's).</param>
    /// <param name="alpha">α, the decay of the averages, in [0, 1). Default 0.99.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="momentum">μ, in [0, 1). Default 0 (no momentum buffer).</param>
    /// <param name="centered">Whether to subtract the squared running mean of the gradient (an estimate of its variance). Default false.</param>
    public RmsProp(
        IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        (Alpha, Epsilon, WeightDecay, Momentum, Centered) = (alpha, epsilon, weightDecay, momentum, centered);
        DeclareHyperparameter("alpha", () => Alpha, value => Alpha = value);
        DeclareHyperparameter("epsilon", () => Epsilon, value => Epsilon = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareHyperparameter("momentum", () => Momentum, value => Momentum = value);
        DeclareFlag("centered", () => Centered, value => Centered = value);
        _squareAverage = DeclareNonNegativeBuffer("square_avg");
        _gradientAverage = DeclareBuffer("grad_avg");
        _momentumBuffer = DeclareBuffer("momentum_buffer");
    }

    /// <summary>α, the decay of the running averages.</summary>
    public double Alpha { get => _alpha; set => _alpha = OptimizerChecks.UnitInterval(value, "alpha"); }

    /// <summary>ε, added after the square root.</summary>
    public double Epsilon { get => _epsilon; set => _epsilon = OptimizerChecks.Positive(value, "epsilon"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>μ, the momentum of the scaled step (0: none).</summary>
    public double Momentum { get => _momentum; set => _momentum = OptimizerChecks.UnitInterval(value, "momentum"); }

    /// <summary>Whether the denominator uses the centered second moment v − ḡ².</summary>
    public bool Centered { get; set; }

    /// <inheritdoc/>
    protected override bool UsesBuffer(StateBuffer buffer) =>
        buffer == _squareAverage || (buffer == _gradientAverage && Centered) || (buffer == _momentumBuffer && Momentum > 0);

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        // The rule of the remarks in one pass; the buffers a setting leaves unused are not read.
        T alpha = T.CreateChecked(Alpha);
        bool withMomentum = Momentum > 0;
        RmsPropStep.Apply(range.Value, range.Gradient, range.Buffer(_squareAverage),
            Centered ? range.Buffer(_gradientAverage) : [], withMomentum ? range.Buffer(_momentumBuffer) : [],
            T.CreateChecked(WeightDecay), alpha, T.One - alpha, T.CreateChecked(Epsilon), T.CreateChecked(Momentum), -T.CreateChecked(LearningRate),
            Centered, withMomentum);
    }
}
