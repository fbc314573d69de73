using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam with one m and one v for all parameters (sized for the largest), so element i of every parameter updates the same moments.</summary>
internal sealed class AdamSharingState(IReadOnlyList<Parameter<double>> parameters, double learningRate) : IOptimizer<double>
{
    private readonly double[] _m = new double[parameters.Max(p => p.Length)];
    private readonly double[] _v = new double[parameters.Max(p => p.Length)];
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        _t++;
        foreach (var parameter in parameters) StudentAdam.Update(parameter, _m, _v, _t, LearningRate);
        return loss;
    }
}
