using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam with <c>t++</c> inside the loop over parameters: the step count advances once per parameter, not once per step.</summary>
internal sealed class AdamCountingPerParameter(IReadOnlyList<Parameter<double>> parameters, double learningRate) : IOptimizer<double>
{
    private readonly double[][] _m = parameters.Select(p => new double[p.Length]).ToArray();
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        for (int k = 0; k < parameters.Count; k++)
        {
            _t++;
            StudentAdam.Update(parameters[k], _m[k], _v[k], _t, LearningRate);
        }
        return loss;
    }
}
