using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam that updates <c>Parameters[0]</c> only, as written against a one-parameter test.</summary>
internal sealed class AdamFirstParameterOnly(IReadOnlyList<Parameter<double>> parameters, double learningRate) : IOptimizer<double>
{
    private readonly double[] _m = new double[parameters[0].Length];
    private readonly double[] _v = new double[parameters[0].Length];
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        StudentAdam.Update(parameters[0], _m, _v, ++_t, LearningRate);
        return loss;
    }
}
