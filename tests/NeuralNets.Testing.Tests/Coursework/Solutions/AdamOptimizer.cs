using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: Adam with bias-corrected moments m̂ and v̂, w ← w − η·m̂/(√v̂ + ε).</summary>
public sealed class AdamOptimizer(IReadOnlyList<Parameter<double>> parameters, double learningRate, double beta1, double beta2, double epsilon) : IOptimizer<double>
{
    private readonly double[][] _m = parameters.Select(p => new double[p.Length]).ToArray();
    private readonly double[][] _v = parameters.Select(p => new double[p.Length]).ToArray();
    private int _t;

    public IReadOnlyList<Parameter<double>> Parameters => parameters;

    public double LearningRate { get; set; } = learningRate;

    public double Step(Func<double> evaluate)
    {
        double loss = evaluate();
        _t++;
        for (int k = 0; k < parameters.Count; k++)
        {
            Span<double> w = parameters[k].ValueSpan, g = parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _m[k][i] = beta1 * _m[k][i] + (1 - beta1) * g[i];
                _v[k][i] = beta2 * _v[k][i] + (1 - beta2) * g[i] * g[i];
                double mHat = _m[k][i] / (1 - Math.Pow(beta1, _t));
                double vHat = _v[k][i] / (1 - Math.Pow(beta2, _t));
                w[i] -= LearningRate * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
        return loss;
    }
}
