using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Training;

/// <summary>
/// Gradient clipping, as PyTorch's <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>: between the
/// backward pass and the optimizer step. <see cref="Trainer{T}"/> applies it through
/// <see cref="TrainingOptions.MaxGradientNorm"/> and <see cref="TrainingOptions.GradientClipValue"/>; a hand-written loop calls it itself.
/// </summary>
/// <remarks>
/// The sums run in a fixed order on one thread, so the norm, and the clipped gradients, are bit-identical on every
/// CPU and whatever the thread count.
/// </remarks>
public static class GradientClipping
{
    /// <summary>‖g‖₂ over every element of every parameter's gradient, as if they were one vector.</summary>
    public static double GlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            ReadOnlySpan<T> g = parameters[i].GradientSpan;
            sumOfSquares += double.CreateChecked(FixedSum.Dot(g, g));
        }
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>Scales every gradient by one factor so that their global norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    /// <remarks>
    /// <code>‖g‖ = √(Σ_p Σ_i g_pi²);   c = maxNorm / (‖g‖ + 10⁻⁶);   g ← c·g when c &lt; 1</code>
    /// The 10⁻⁶ is PyTorch's. A non-finite norm makes c zero or NaN, as in PyTorch; the trainer's checks of the loss and
    /// the weights catch what follows.
    /// </remarks>
    /// <param name="parameters">The parameters whose gradients to clip (those the optimizer updates).</param>
    /// <param name="maxNorm">The largest global norm allowed; positive and finite.</param>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLimit(maxNorm, nameof(maxNorm));
        double norm = GlobalNorm(parameters);
        double factor = maxNorm / (norm + 1e-6);
        if (!(factor >= 1))
        {
            T scale = T.CreateChecked(factor);
            for (int i = 0; i < parameters.Count; i++)
            {
                var g = parameters[i].GradientSpan;
                TensorPrimitives.Multiply(g, scale, g);
            }
        }
        return norm;
    }

    /// <summary>Clamps every gradient element into [−<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    /// <param name="parameters">The parameters whose gradients to clip.</param>
    /// <param name="clipValue">The largest magnitude allowed; positive and finite.</param>
    public static void ClipByValue<T>(IReadOnlyList<Parameter<T>> parameters, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLimit(clipValue, nameof(clipValue));
        ArgumentNullException.ThrowIfNull(parameters);
        T high = T.CreateChecked(clipValue), low = -high;
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].GradientSpan;
            TensorPrimitives.Min(g, high, g);
            TensorPrimitives.Max(g, low, g);
        }
    }

    internal static void CheckLimit(double limit, string name)
    {
        if (!(limit > 0 && double.IsFinite(limit)))
            throw new ArgumentOutOfRangeException(name, FormattableString.Invariant($"{name} must be positive and finite, but was {limit}."));
    }
}
