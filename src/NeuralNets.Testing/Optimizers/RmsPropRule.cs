using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// RMSprop as PyTorch documents it: v ← α·v + (1 − α)·g²; d = √v + ε (√(v − ḡ²) + ε centered, with ḡ ← α·ḡ + (1 − α)·g);
/// w ← w − η·g/d, or b ← μ·b + g/d; w ← w − η·b with momentum μ; g ← g + λ·w first when weight decay λ is set.
/// </summary>
internal sealed class RmsPropRule(double learningRate, double alpha, double epsilon, double weightDecay, double momentum, bool centered) : ReferenceRule
{
    public override string Name => "RMSprop";

    public override string Formula =>
        (weightDecay > 0 ? "g ← g + λ·w; " : "") + "v ← α·v + (1 − α)·g²; "
        + (centered ? "ḡ ← α·ḡ + (1 − α)·g; d = √(v − ḡ²) + ε; " : "d = √v + ε; ")
        + (momentum > 0 ? "b ← μ·b + g/d; w ← w − η·b" : "w ← w − η·g/d");

    public override string Hyperparameters =>
        KitText.Format($"η = {learningRate}, α = {alpha}, ε = {epsilon}")
        + (weightDecay > 0 ? KitText.Format($", λ = {weightDecay}") : "")
        + (momentum > 0 ? KitText.Format($", μ = {momentum}") : "")
        + (centered ? ", centered" : "");

    public override IReadOnlyList<string> StateSymbols => [.. new[] { "v", centered ? "ḡ" : null, momentum > 0 ? "b" : null }.OfType<string>()];

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) =>
        new RmsProp<double>(parameters, learningRate, alpha, epsilon, weightDecay, momentum, centered);

    private double Alpha => alpha;

    private double Epsilon => epsilon;

    private double WeightDecay => weightDecay;

    private double Mu => momentum;

    private bool Centered => centered;

    public override IRuleRun Start(int length) => new Run(this, learningRate, new double[length], new double[length], new double[length]);

    private sealed class Run(RmsPropRule rule, double eta, double[] v, double[] mean, double[] b) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(w);
            var next = new double[w.Length];
            double alpha = rule.Alpha;
            for (int i = 0; i < w.Length; i++)
            {
                g[i] += rule.WeightDecay * w[i];
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                if (rule.Centered) mean[i] = alpha * mean[i] + (1 - alpha) * g[i];
                // ε after the root, as Adam adds it (Adagrad's lecture form puts it inside).
                double d = Math.Sqrt(rule.Centered ? v[i] - mean[i] * mean[i] : v[i]) + rule.Epsilon;
                if (rule.Mu > 0)
                {
                    b[i] = rule.Mu * b[i] + g[i] / d;
                    next[i] = w[i] - LearningRate * b[i];
                }
                else
                {
                    next[i] = w[i] - LearningRate * g[i] / d;
                }
            }
            double[][] state = [[.. v], .. rule.Centered ? [[.. mean]] : Array.Empty<double[]>(), .. rule.Mu > 0 ? [[.. b]] : Array.Empty<double[]>()];
            return new RuleStep(w, g, state, next);
        }
    }
}
