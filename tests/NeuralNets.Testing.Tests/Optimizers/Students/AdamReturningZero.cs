using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam that calls evaluate but returns 0 from Step instead of the loss.</summary>
internal sealed class AdamReturningZero(IReadOnlyList<Parameter<double>> parameters, double learningRate) : IOptimizer<double>
{
    private readonly double[][] _m = parameters.Select(p => new double[p.Length]).ToArray();
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        evaluate();
        _t++;
        for (int k = 0; k < parameters.Count; k++) StudentAdam.Update(parameters[k], _m[k], _v[k], _t, LearningRate);
        return 0;
    }
}
