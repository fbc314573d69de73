using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam that copies η into a field in its constructor and steps with that, so a later LearningRate is stored but never used.</summary>
internal sealed class AdamIgnoringLearningRate(IReadOnlyList<Parameter<double>> parameters, double learningRate) : IOptimizer<double>
{
    private readonly double _eta = learningRate;
    private readonly double[][] _m = parameters.Select(p => new double[p.Length]).ToArray();
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        _t++;
        for (int k = 0; k < parameters.Count; k++) StudentAdam.Update(parameters[k], _m[k], _v[k], _t, _eta);
        return loss;
    }
}
