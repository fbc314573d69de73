using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// Adadelta as PyTorch documents it: v ← ρ·v + (1 − ρ)·g²; Δ = √(u + ε)/√(v + ε)·g; u ← ρ·u + (1 − ρ)·Δ²; w ← w − η·Δ,
/// with g ← g + λ·w first when weight decay λ is set.
/// </summary>
internal sealed class AdadeltaRule(double learningRate, double rho, double epsilon, double weightDecay) : ReferenceRule
{
    public override string Name => "Adadelta";

    public override string Formula => (weightDecay > 0 ? "g ← g + λ·w; " : "") + "v ← ρ·v + (1 − ρ)·g²; Δ = √(u + ε)/√(v + ε)·g; u ← ρ·u + (1 − ρ)·Δ²; w ← w − η·Δ";

    public override string Hyperparameters => KitText.Format($"η = {learningRate}, ρ = {rho}, ε = {epsilon}") + (weightDecay > 0 ? KitText.Format($", λ = {weightDecay}") : "");

    public override IReadOnlyList<string> StateSymbols => ["v", "Δ", "u"];

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) =>
        new Adadelta<double>(parameters, learningRate, rho, epsilon, weightDecay);

    public override IRuleRun Start(int length) => new Run(learningRate, rho, epsilon, weightDecay, new double[length], new double[length]);

    private sealed class Run(double eta, double rho, double epsilon, double weightDecay, double[] v, double[] u) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(w);
            var delta = new double[w.Length];
            var next = new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                g[i] += weightDecay * w[i];
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                // ε inside both roots: at the start u = 0, and √ε is what lets the first steps move at all.
                delta[i] = Math.Sqrt(u[i] + epsilon) / Math.Sqrt(v[i] + epsilon) * g[i];
                u[i] = rho * u[i] + (1 - rho) * delta[i] * delta[i];
                next[i] = w[i] - LearningRate * delta[i];
            }
            return new RuleStep(w, g, [[.. v], delta, [.. u]], next);
        }
    }
}
