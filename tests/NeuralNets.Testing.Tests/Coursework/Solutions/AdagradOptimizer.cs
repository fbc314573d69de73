using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: the lecture's Adagrad, G ← G + g⊙g; w ← w − η/√(G + ε) ⊙ g.</summary>
public sealed class AdagradOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double epsilon) : IOptimizer<double>
{
    private readonly double[][] _sum = parameters.Select(p => new double[p.Length]).ToArray();

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
                _sum[k][i] += g[i] * g[i];
                w[i] -= LearningRate / Math.Sqrt(_sum[k][i] + epsilon) * g[i];
            }
        }
        return loss;
    }
}
