using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Adam: momentum on the gradient (first moment) and Adadelta-like scaling by its square (second moment), both bias-corrected.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when the L2 weight decay λ is set), m and v starting at 0, and t the step (1, 2, …):
/// <code>
/// m ← β1·m + (1 − β1)·g          (exp_avg)
/// v ← β2·v + (1 − β2)·g²         (exp_avg_sq)
/// m̂ = m / (1 − β1ᵗ)
/// v̂ = v / (1 − β2ᵗ)
/// w ← w − η·m̂ / (√v̂ + ε)
/// </code>
/// With <c>amsgrad</c>, v̂ uses the largest v so far instead: v_max ← max(v_max, v) (v_max starting at 0,
/// <c>max_exp_avg_sq</c>), v̂ = v_max / (1 − β2ᵗ), as PyTorch's <c>amsgrad=True</c> does.
/// This is PyTorch's <c>Adam</c>: ε is added after the square root of the bias-corrected v̂.
/// For weight decay that does not pass through the moments, use <see cref="AdamW{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public class Adam<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AdamMoments _moments;
    private readonly bool _decoupledWeightDecay;
    private double _beta1, _beta2, _epsilon, _weightDecay;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 1e-3.</param>
    /// <param name="beta1">β1, the decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β2, the decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="amsgrad">Whether to divide by the largest v̂ seen so far instead of the current one (AMSGrad, Reddi et al.; PyTorch's <c>amsgrad=True</c>). Default false.</param>
    public Adam(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: false)
    {
    }

    /// <summary>For <see cref="AdamW{T}"/>: the same moments, with the decay applied to the weights instead of the gradient.</summary>
    private protected Adam(IEnumerable<Parameter<T>> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        _decoupledWeightDecay = decoupledWeightDecay;
        (Beta1, Beta2, Epsilon, WeightDecay, Amsgrad) = (beta1, beta2, epsilon, weightDecay, amsgrad);
        DeclareHyperparameter("beta1", () => Beta1, value => Beta1 = value);
        DeclareHyperparameter("beta2", () => Beta2, value => Beta2 = value);
        DeclareHyperparameter("epsilon", () => Epsilon, value => Epsilon = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareFlag("amsgrad", () => Amsgrad, value => Amsgrad = value);
        _moments = new AdamMoments(DeclareBuffer("exp_avg"), DeclareNonNegativeBuffer("exp_avg_sq"), DeclareNonNegativeBuffer("max_exp_avg_sq"));
    }

    /// <summary>β1, the decay of the first moment.</summary>
    public double Beta1 { get => _beta1; set => _beta1 = OptimizerChecks.UnitInterval(value, "beta1"); }

    /// <summary>β2, the decay of the second moment.</summary>
    public double Beta2 { get => _beta2; set => _beta2 = OptimizerChecks.UnitInterval(value, "beta2"); }

    /// <summary>ε, added after the square root of v̂.</summary>
    public double Epsilon { get => _epsilon; set => _epsilon = OptimizerChecks.Positive(value, "epsilon"); }

    /// <summary>λ: for Adam the L2 weight decay added to the gradient; for <see cref="AdamW{T}"/> the decoupled decay, each step multiplying w by 1 − η·λ.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>Whether the AMSGrad variant is used: the denominator takes the largest second moment seen so far.</summary>
    public bool Amsgrad { get; set; }

    /// <inheritdoc/>
    protected override bool UsesBuffer(StateBuffer buffer) => buffer != _moments.MaxExpAvgSq || Amsgrad;

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        T lambda = T.CreateChecked(WeightDecay);
        var decay = !_decoupledWeightDecay ? StepDecay<T>.L2(lambda)                                         // g + λw
            : lambda != T.Zero ? StepDecay<T>.Decoupled(T.One - T.CreateChecked(LearningRate) * lambda)      // w ← w·(1 − ηλ) first
            : StepDecay<T>.None;
        _moments.Apply(range, decay, LearningRate, Beta1, Beta2, Epsilon, Amsgrad);
    }
}
