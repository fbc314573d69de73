using NeuralNets;
using NeuralNets.Optimizers;

namespace Coursework;

/// <summary>Momentum, in the lecture's form. Given: the constructor and hyperparameters; your part is Step, in MomentumOptimizer.cs.</summary>
public sealed partial class MomentumOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double gamma)
    : GivenOptimizer(parameters, learningRate), IOptimizer<double>
{
    /// <summary>γ, the fraction of the last update kept.</summary>
    public double Gamma { get; } = gamma;
}
