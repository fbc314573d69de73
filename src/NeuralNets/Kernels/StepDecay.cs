using System.Numerics;
using System.Text;

namespace NeuralNets.Kernels;

/// <summary>How an optimizer kernel applies weight decay.</summary>
internal enum StepDecayKind
{
    /// <summary>No decay: the gradient as it is.</summary>
    None,

    /// <summary>The L2 term: ĝ = w·λ + g.</summary>
    L2,

    /// <summary>Decoupled decay (AdamW, NAdamW): w ← w·(1 − ηλ) before the update, the gradient as it is.</summary>
    Decoupled,
}

/// <summary>The weight decay an optimizer kernel applies: its kind and its coefficient (λ for the L2 term, the factor 1 − ηλ for decoupled decay).</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Kind">How the decay enters.</param>
/// <param name="Coefficient">λ, or 1 − ηλ; unused without decay.</param>
internal readonly record struct StepDecay<T>(StepDecayKind Kind, T Coefficient) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>No decay.</summary>
    public static StepDecay<T> None => default;

    /// <summary>
    /// The L2 term w·λ + g, or none when λ is 0, as <c>ElementRange.GradientWithL2</c> decides: w·0 + g is not g
    /// (it turns −0 into +0 and, where w is infinite, g into NaN).
    /// </summary>
    public static StepDecay<T> L2(T lambda) => lambda == T.Zero ? None : new(StepDecayKind.L2, lambda);

    /// <summary>Decoupled decay: the weights multiplied by <paramref name="factor"/> (1 − ηλ as the optimizer rounded it) first.</summary>
    public static StepDecay<T> Decoupled(T factor) => new(StepDecayKind.Decoupled, factor);

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
