using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: the lecture's momentum, v ← γ·v + η·∇J(w); w ← w − v.</summary>
public sealed class MomentumOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double gamma) : IOptimizer<double>
{
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        for (int k = 0; k < parameters.Count; k++)
        {
            Span<double> w = parameters[k].ValueSpan, g = parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _v[k][i] = gamma * _v[k][i] + LearningRate * g[i];
                w[i] -= _v[k][i];
            }
        }
        return loss;
    }
}
