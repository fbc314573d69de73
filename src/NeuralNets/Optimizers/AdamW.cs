using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>AdamW: Adam with weight decay decoupled from the gradient (Loshchilov &amp; Hutter).</summary>
/// <remarks>
/// With g = ∇J(w) (no decay term), m and v starting at 0, and t the step (1, 2, …):
/// <code>
/// w ← w − η·λ·w
/// m ← β1·m + (1 − β1)·g          (exp_avg)
/// v ← β2·v + (1 − β2)·g²         (exp_avg_sq)
/// m̂ = m / (1 − β1ᵗ)
/// v̂ = v / (1 − β2ᵗ)
/// w ← w − η·m̂ / (√v̂ + ε)
/// </code>
/// With <c>amsgrad</c>, v̂ uses the largest v so far instead: v_max ← max(v_max, v) (v_max starting at 0,
/// <c>max_exp_avg_sq</c>), v̂ = v_max / (1 − β2ᵗ), as PyTorch's <c>amsgrad=True</c> does.
/// This is PyTorch's <c>AdamW</c>. The decay shrinks every weight by the same factor, whatever its
/// gradient history, instead of being rescaled by √v̂ as the L2 term of <see cref="Adam{T}"/> is. As in PyTorch, AdamW is an
/// <see cref="Adam{T}"/> whose decay is decoupled: every hyperparameter and state buffer is Adam's.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite. Default 1e-3.</param>
    /// <param name="beta1">β1, the decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">β2, the decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">ε, positive. Default 1e-8.</param>
    /// <param name="weightDecay">λ, the decoupled decay, non-negative. Default 0.01 (PyTorch's).</param>
    /// <param name="amsgrad">Whether to divide by the largest v̂ seen so far instead of the current one (AMSGrad, Reddi et al.; PyTorch's <c>amsgrad=True</c>). Default false.</param>
    public AdamW(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: true)
    {
    }
}
