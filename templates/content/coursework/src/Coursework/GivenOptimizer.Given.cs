using NeuralNets;

namespace Coursework;

/// <summary>What every optimizer here is given: the parameters w it updates and the learning rate η.</summary>
public abstract class GivenOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate)
{
    /// <summary>The parameters w this optimizer updates.</summary>
    public IReadOnlyList<Parameter<double>> Parameters { get; } = parameters;

    /// <summary>η, the learning rate.</summary>
    public double LearningRate { get; set; } = learningRate;
}
