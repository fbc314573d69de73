using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: Nesterov, v ← γ·v + η·∇J(w − γ·v); w ← w − v, the gradient taken at the look-ahead point.</summary>
public sealed class NesterovOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double gamma) : IOptimizer<double>
{
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        var saved = parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
        for (int k = 0; k < parameters.Count; k++)
            for (int i = 0; i < saved[k].Length; i++) parameters[k].ValueSpan[i] = saved[k][i] - gamma * _v[k][i];
        double loss = evaluate();
        for (int k = 0; k < parameters.Count; k++)
        {
            Span<double> w = parameters[k].ValueSpan, g = parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _v[k][i] = gamma * _v[k][i] + LearningRate * g[i];
                w[i] = saved[k][i] - _v[k][i];
            }
        }
        return loss;
    }
}
