using System.Globalization;
using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// An update rule of the lecture with its hyperparameters: it builds the library's implementation (the reference a
/// student's optimizer is compared with) and recomputes each step in the lecture's symbols, state included, for the tables.
/// </summary>
/// <remarks>The rule's state (v, G, m̂, v̂, u) is recomputed here from the documented formulas, independently of the library's own (which <c>ExportState</c> exposes), and checked against the library's weights at every step: a reference that read the library's state would share its mistakes.</remarks>
public abstract class ReferenceRule
{
    /// <summary>
    /// For a rule of the teacher's own: override <see cref="Name"/>, <see cref="Formula"/>, <see cref="Hyperparameters"/>,
    /// <see cref="StateSymbols"/>, <see cref="CreateReference"/> (the implementation the optimizer under test must follow) and
    /// <see cref="Start"/> (the same rule written out, returning an <see cref="IRuleRun"/> whose <see cref="RuleStep"/>s fill
    /// the tables; its w after each step is checked against <see cref="CreateReference"/>'s to 1e-12).
    /// </summary>
    protected ReferenceRule() { }

    /// <summary>The rule's name, e.g. <c>Momentum</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The update in the lecture's symbols, e.g. <c>v ← γ·v + η·g; w ← w − v</c>.</summary>
    public abstract string Formula { get; }

    /// <summary>The hyperparameters in the lecture's symbols, e.g. <c>η = 0.01, γ = 0.9</c>.</summary>
    public abstract string Hyperparameters { get; }

    /// <summary>The symbols of the state the tables show, e.g. <c>v</c>, or <c>m̂</c> and <c>v̂</c>.</summary>
    public abstract IReadOnlyList<string> StateSymbols { get; }

    /// <summary>The gradient's column heading: <c>g</c>, or <c>∇J(w − γv)</c> for Nesterov.</summary>
    public virtual string GradientSymbol => "g";

    /// <summary>The library's implementation of the rule over <paramref name="parameters"/>.</summary>
    public abstract IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters);

    /// <summary>A fresh run of the rule (state at its start) for parameters of <paramref name="length"/> elements.</summary>
    public abstract IRuleRun Start(int length);

    /// <summary>Plain gradient descent: w ← w − η·g.</summary>
    public static ReferenceRule Sgd(double learningRate) => new SgdRule(learningRate);

    /// <summary>The lecture's momentum: v ← γ·v + η·g; w ← w − v.</summary>
    public static ReferenceRule Momentum(double learningRate, double gamma = 0.9) => new MomentumRule(learningRate, gamma, nesterov: false);

    /// <summary>The lecture's Nesterov: v ← γ·v + η·∇J(w − γ·v); w ← w − v.</summary>
    public static ReferenceRule Nesterov(double learningRate, double gamma = 0.9) => new MomentumRule(learningRate, gamma, nesterov: true);

    /// <summary>The lecture's Adagrad: G ← G + g⊙g; w ← w − η/√(G + ε) ⊙ g.</summary>
    public static ReferenceRule Adagrad(double learningRate = 0.01, double epsilon = 1e-10) => new AdagradRule(learningRate, epsilon);

    /// <summary>Adam, PyTorch's form: m̂ and v̂ bias-corrected; w ← w − η·m̂/(√v̂ + ε).</summary>
    public static ReferenceRule Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) => new AdamRule(learningRate, beta1, beta2, epsilon);

    /// <summary>
    /// Adadelta, PyTorch's form (η = 1 is Zeiler's rule): v ← ρ·v + (1 − ρ)·g²; Δ = √(u + ε)/√(v + ε)·g;
    /// u ← ρ·u + (1 − ρ)·Δ²; w ← w − η·Δ, with g ← g + λ·w first when <paramref name="weightDecay"/> λ is set.
    /// </summary>
    /// <param name="learningRate">η. Default 1, PyTorch's.</param>
    /// <param name="rho">ρ, the decay of both running averages v (of g²) and u (of Δ²). Default 0.9.</param>
    /// <param name="epsilon">ε, inside both square roots. Default 1e-6.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient. Default 0.</param>
    public static ReferenceRule Adadelta(double learningRate = 1.0, double rho = 0.9, double epsilon = 1e-6, double weightDecay = 0) =>
        new AdadeltaRule(learningRate, rho, epsilon, weightDecay);

    /// <summary>
    /// RMSprop, PyTorch's form (the library's <see cref="RmsProp{T}"/>): v ← α·v + (1 − α)·g²; w ← w − η·g/(√v + ε), ε after the
    /// root; with g ← g + λ·w first when <paramref name="weightDecay"/> λ is set, √(v − ḡ²) for √v when
    /// <paramref name="centered"/> (ḡ ← α·ḡ + (1 − α)·g), and b ← μ·b + g/(√v + ε); w ← w − η·b with <paramref name="momentum"/> μ.
    /// </summary>
    /// <param name="learningRate">η. Default 0.01, PyTorch's.</param>
    /// <param name="alpha">α, the decay of the running averages. Default 0.99.</param>
    /// <param name="epsilon">ε, added after the square root. Default 1e-8.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient. Default 0.</param>
    /// <param name="momentum">μ of the scaled step. Default 0 (none).</param>
    /// <param name="centered">Whether the denominator uses v − ḡ², an estimate of the gradient's variance. Default false.</param>
    public static ReferenceRule RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false) =>
        new RmsPropRule(learningRate, alpha, epsilon, weightDecay, momentum, centered);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Hyperparameters})";

}
