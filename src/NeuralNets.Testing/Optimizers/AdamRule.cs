using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>Adam: m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; m̂ = m/(1 − β1ᵗ); v̂ = v/(1 − β2ᵗ); w ← w − η·m̂/(√v̂ + ε).</summary>
internal sealed class AdamRule(double learningRate, double beta1, double beta2, double epsilon) : ReferenceRule
{
    public override string Name => "Adam";

    public override string Formula => "m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; m̂ = m/(1 − β1ᵗ); v̂ = v/(1 − β2ᵗ); w ← w − η·m̂/(√v̂ + ε)";

    public override string Hyperparameters => KitText.Format($"η = {learningRate}, β1 = {beta1}, β2 = {beta2}, ε = {epsilon}");

    public override IReadOnlyList<string> StateSymbols => ["m̂", "v̂"];

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) =>
        new Adam<double>(parameters, learningRate, beta1, beta2, epsilon);

    public override IRuleRun Start(int length) => new Run(learningRate, beta1, beta2, epsilon, new double[length], new double[length]);

    private sealed class Run(double eta, double beta1, double beta2, double epsilon, double[] m, double[] v) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        private int _t;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(w);
            _t++;
            var mHat = new double[m.Length];
            var vHat = new double[m.Length];
            var next = new double[m.Length];
            for (int i = 0; i < m.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                mHat[i] = m[i] / (1 - Math.Pow(beta1, _t));
                vHat[i] = v[i] / (1 - Math.Pow(beta2, _t));
                next[i] = w[i] - LearningRate * mHat[i] / (Math.Sqrt(vHat[i]) + epsilon);
            }
            return new RuleStep(w, g, [mHat, vHat], next);
        }
    }
}
