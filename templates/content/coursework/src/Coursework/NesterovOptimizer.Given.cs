using NeuralNets;
using NeuralNets.Optimizers;

namespace Coursework;

/// <summary>Nesterov accelerated gradient, in the lecture's look-ahead form. Given: the constructor and hyperparameters; your part is Step, in NesterovOptimizer.cs.</summary>
public sealed partial class NesterovOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double gamma)
    : GivenOptimizer(parameters, learningRate), IOptimizer<double>
{
    /// <summary>γ, the fraction of the last update kept.</summary>
    public double Gamma { get; } = gamma;
}
