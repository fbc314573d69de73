using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>Gradient descent with momentum, in the lecture's form.</summary>
/// <remarks>
/// With g = ∇J(w) (+ λw when weight decay λ is set), learning rate η, momentum factor γ and dampening τ, v starting at 0:
/// <code>
/// v ← γ·v + η·g              (the first step, t = 1)
/// v ← γ·v + (1 − τ)·η·g      (later steps)
/// w ← w − v
/// </code>
/// PyTorch's <c>SGD(momentum=γ, dampening=τ)</c> keeps b = v/η instead (b ← γ·b + (1 − τ)·g, b₁ = g; w ← w − η·b), its
/// <c>momentum_buffer</c>. The two give the same weights at every step while η stays constant; when a schedule changes
/// η, the lecture's v (the state buffer <c>velocity</c>) carries the old rates into later steps and PyTorch's b does not.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Momentum<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _velocity;
    private double _momentum, _dampening, _weightDecay;

    /// <summary>Creates the rule over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one (an empty list throws <see cref="ArgumentException"/>).</param>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">γ, the fraction of the last update kept, in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient, non-negative. Default 0.</param>
    /// <param name="dampening">τ, the fraction of the gradient held back after the first step, in [0, 1). Default 0.</param>
    public Momentum(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0, double dampening = 0)
        : base(parameters, learningRate)
    {
        (MomentumFactor, WeightDecay, Dampening) = (momentum, weightDecay, dampening);
        DeclareHyperparameter("momentum", () => MomentumFactor, value => MomentumFactor = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        DeclareHyperparameter("dampening", () => Dampening, value => Dampening = value);
        _velocity = DeclareBuffer("velocity");
    }

    /// <summary>γ, the momentum factor (PyTorch's <c>momentum</c>; C# forbids naming it <c>Momentum</c> in this class).</summary>
    public double MomentumFactor { get => _momentum; set => _momentum = OptimizerChecks.UnitInterval(value, "momentum"); }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    /// <summary>τ, the dampening of the gradient after the first step.</summary>
    public double Dampening { get => _dampening; set => _dampening = OptimizerChecks.UnitInterval(value, "dampening"); }

    /// <inheritdoc/>
    protected override void Update(ElementRange<T> range)
    {
        T eta = T.CreateChecked(LearningRate);
        T gradientScale = range.Step == 1 ? eta : (T.One - T.CreateChecked(Dampening)) * eta;
        // v ← γ·v + (1 − τ)·η·(g + λw); w ← w − v, in one pass.
        var w = range.Value;
        MomentumStep.Apply(w, w, range.Gradient, range.Buffer(_velocity), T.CreateChecked(WeightDecay), T.CreateChecked(MomentumFactor), gradientScale);
    }
}
