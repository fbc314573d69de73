using NeuralNets;
using NeuralNets.Optimizers;

namespace Coursework;

/// <summary>Adam, with bias-corrected moments. Given: the constructor and hyperparameters; your part is Step, in AdamOptimizer.cs.</summary>
public sealed partial class AdamOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double beta1, double beta2, double epsilon)
    : GivenOptimizer(parameters, learningRate), IOptimizer<double>
{
    /// <summary>β1, the decay of the first moment m.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>β2, the decay of the second moment v.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>ε, added after the square root of v̂.</summary>
    public double Epsilon { get; } = epsilon;
}
