using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>The lecture's Adagrad, ε inside the root: G ← G + g⊙g; w ← w − η/√(G + ε) ⊙ g.</summary>
internal sealed class AdagradRule(double learningRate, double epsilon) : ReferenceRule
{
    public override string Name => "Adagrad";

    public override string Formula => "G ← G + g⊙g; w ← w − η/√(G + ε) ⊙ g";

    public override string Hyperparameters => KitText.Format($"η = {learningRate}, ε = {epsilon}");

    public override IReadOnlyList<string> StateSymbols => ["G"];

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) =>
        new Adagrad<double>(parameters, learningRate, epsilon: epsilon, epsilonPlacement: AdagradEpsilon.InsideRoot);

    public override IRuleRun Start(int length) => new Run(learningRate, epsilon, new double[length]);

    private sealed class Run(double eta, double epsilon, double[] sum) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(w);
            for (int i = 0; i < sum.Length; i++) sum[i] += g[i] * g[i];
            return new RuleStep(w, g, [[.. sum]], w.Select((x, i) => x - LearningRate / Math.Sqrt(sum[i] + epsilon) * g[i]).ToArray());
        }
    }
}
