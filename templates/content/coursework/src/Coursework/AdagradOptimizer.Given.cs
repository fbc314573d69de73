using NeuralNets;
using NeuralNets.Optimizers;

namespace Coursework;

/// <summary>Adagrad, in the lecture's form. Given: the constructor and hyperparameters; your part is Step, in AdagradOptimizer.cs.</summary>
public sealed partial class AdagradOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double epsilon)
    : GivenOptimizer(parameters, learningRate), IOptimizer<double>
{
    /// <summary>ε, added inside the square root.</summary>
    public double Epsilon { get; } = epsilon;
}
