using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>NAdam: Adam with Nesterov momentum, the first moment taken one step ahead (Dozat).</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when the L2 weight decay λ is set), m (<c>exp_avg</c>) and v (<c>exp_avg_sq</c>) starting at 0,
/// t the step (1, 2, …) and ψ the momentum decay:
/// <code>
/// μₜ = β1·(1 − ½·0.96^(t·ψ)),   μₜ₊₁ = β1·(1 − ½·0.96^((t+1)·ψ)),   Πₜ = μ₁·μ₂·…·μₜ   (mu_product)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// d = √(v / (1 − β2ᵗ)) + ε
/// w ← w − η·(1 − μₜ)/(1 − Πₜ) · g/d
/// w ← w − η·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
/// </code>
/// This is PyTorch's <c>NAdam</c>, including its order of operations: m moves toward g by linear
/// interpolation, m + (1 − β1)·(g − m), and the two corrections are added to w one after the other.
/// With <c>decoupledWeightDecay</c>, w ← w·(1 − η·λ) comes first and g has no λw term (PyTorch's
/// <c>decoupled_weight_decay=True</c>, "NAdamW"). Πₜ and the step coefficients are computed in double.
/// Golden-tested against libtorch's <c>NAdam</c> (TorchSharp 0.107, which has no decoupled option), plain and
/// with weight decay.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Nadam<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _expAvg, _expAvgSq;
    private readonly StateScalar _muProduct;
    private double _beta1, _beta2, _epsilon, _weightDecay, _momentumDecay;
    // The current parameter's coefficients, set by BeginUpdate before its ranges run.
    private T _gradientStep, _momentumStep, _secondCorrection, _decayFactor;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 2e-3 (PyTorch's).</param>
    /// <param name="beta1">β1, the decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β2, the decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ, non-negative: an L2 term added to the gradient, or with
    /// <paramref name="decoupledWeightDecay"/> a decay of the weights themselves. Default 0.</param>
    /// <param name="momentumDecay">ψ, non-negative. Default 4e-3.</param>
    /// <param name="decoupledWeightDecay">Whether λ shrinks the weights directly instead of entering the gradient. Default false.</param>
    public Nadam(
        IEnumerable<Parameter<T>> parameters, double learningRate = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false)
        : base(parameters, learningRate)
    {
        (Beta1, Beta2, Epsilon, WeightDecay, MomentumDecay, DecoupledWeightDecay) = (beta1, beta2, epsilon, weightDecay, momentumDecay, decoupledWeightDecay);
        DeclareHyperparameter("beta1", () => Beta1, value => Beta1 = value);
        DeclareHyperparameter("beta2", () => Beta2, value => Beta2 = value);
        DeclareHyperparameter("epsilon", () => Epsilon, value => Epsilon = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareHyperparameter("momentumDecay", () => MomentumDecay, value => MomentumDecay = value);
        DeclareFlag("decoupledWeightDecay", () => DecoupledWeightDecay, value => DecoupledWeightDecay = value);
        _expAvg = DeclareBuffer("exp_avg");
        _expAvgSq = DeclareNonNegativeBuffer("exp_avg_sq");
        _muProduct = DeclareScalar("mu_product", 1);
    }

    /// <summary>β1, the decay of the first moment.</summary>
    public double Beta1 { get => _beta1; set => _beta1 = OptimizerChecks.UnitInterval(value, "beta1"); }

    /// <summary>β2, the decay of the second moment.</summary>
    public double Beta2 { get => _beta2; set => _beta2 = OptimizerChecks.UnitInterval(value, "beta2"); }

    /// <summary>ε, added to the root of the second moment.</summary>
    public double Epsilon { get => _epsilon; set => _epsilon = OptimizerChecks.Positive(value, "epsilon"); }

    /// <summary>λ, the weight decay.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>ψ, how fast the momentum coefficient μₜ approaches β1.</summary>
    public double MomentumDecay { get => _momentumDecay; set => _momentumDecay = OptimizerChecks.NonNegative(value, "momentumDecay"); }

    /// <summary>Whether λ shrinks the weights directly (NAdamW) instead of entering the gradient.</summary>
    public bool DecoupledWeightDecay { get; set; }

    /// <inheritdoc/>
    protected override void BeginUpdate(ParameterState<T> state)
    {
        // The coefficients in double, as PyTorch computes them from Python floats; η as the parameters' type rounds it.
        long t = state.Step;
        double mu = Beta1 * (1 - 0.5 * Power.Of(0.96, t * MomentumDecay));
        double muNext = Beta1 * (1 - 0.5 * Power.Of(0.96, (t + 1) * MomentumDecay));
        double product = state[_muProduct] *= mu;
        T eta = T.CreateChecked(LearningRate);
        double learningRate = double.CreateChecked(eta);
        _gradientStep = T.CreateChecked(-learningRate * (1 - mu) / (1 - product));
        _momentumStep = T.CreateChecked(-learningRate * muNext / (1 - product * muNext));
        _secondCorrection = T.CreateChecked(Power.OneMinus(Beta2, t));
        _decayFactor = T.One - eta * T.CreateChecked(WeightDecay);
    }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        // The rule of the remarks in one pass.
        T beta1 = T.CreateChecked(Beta1), beta2 = T.CreateChecked(Beta2);
        var decay = DecoupledWeightDecay
            ? WeightDecay > 0 ? StepDecay<T>.Decoupled(_decayFactor) : StepDecay<T>.None
            : StepDecay<T>.L2(T.CreateChecked(WeightDecay));
        NadamStep.Apply(range.Value, range.Gradient, range.Buffer(_expAvg), range.Buffer(_expAvgSq), decay,
            new NadamStep.Coefficients<T>(T.One - beta1, beta2, T.One - beta2, _secondCorrection, T.CreateChecked(Epsilon), _gradientStep, _momentumStep));
    }
}
