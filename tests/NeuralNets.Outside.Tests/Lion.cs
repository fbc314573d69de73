using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Outside.Tests;

/// <summary>
/// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"), written the way a user of the package
/// writes an optimizer: a rule on one range of elements, its state declared by name, its hyperparameters declared for
/// snapshots, everything else (parameters, steps, threads, state objects) left to the public driver.
/// </summary>
/// <remarks>
/// With g = ∇J(w), m (<c>exp_avg</c>) starting at 0, learning rate η and decoupled weight decay λ:
/// <code>
/// c = β1·m + (1 − β1)·g
/// w ← w − η·(sign(c) + λ·w)
/// m ← β2·m + (1 − β2)·g
/// </code>
/// </remarks>
public sealed class Lion<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateBuffer _expAvg;
    private double _beta1, _beta2, _weightDecay;

    public Lion(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-4, double beta1 = 0.9, double beta2 = 0.99, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        (Beta1, Beta2, WeightDecay) = (beta1, beta2, weightDecay);
        DeclareHyperparameter("beta1", () => Beta1, value => Beta1 = value);
        DeclareHyperparameter("beta2", () => Beta2, value => Beta2 = value);
        DeclareHyperparameter("weightDecay", () => WeightDecay, value => WeightDecay = value);
        _expAvg = DeclareBuffer("exp_avg");
    }

    public double Beta1 { get => _beta1; set => _beta1 = OptimizerChecks.UnitInterval(value, "beta1"); }

    public double Beta2 { get => _beta2; set => _beta2 = OptimizerChecks.UnitInterval(value, "beta2"); }

    public double WeightDecay { get => _weightDecay; set => _weightDecay = OptimizerChecks.NonNegative(value, "weightDecay"); }

    protected override void Update(ElementRange<T> range)
    {
        T eta = T.CreateChecked(LearningRate), lambda = T.CreateChecked(WeightDecay);
        T beta1 = T.CreateChecked(Beta1), beta2 = T.CreateChecked(Beta2);
        var w = range.Value;
        var g = range.Gradient;
        var m = range.Buffer(_expAvg);
        for (int i = 0; i < w.Length; i++)
        {
            T c = beta1 * m[i] + (T.One - beta1) * g[i];
            w[i] -= eta * (T.CreateChecked(T.Sign(c)) + lambda * w[i]);
            m[i] = beta2 * m[i] + (T.One - beta2) * g[i];
        }
    }
}
