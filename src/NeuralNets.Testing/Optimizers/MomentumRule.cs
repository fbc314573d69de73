using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>The lecture's momentum, v ← γ·v + η·g; w ← w − v, with g taken at w, or at w − γv for Nesterov.</summary>
internal sealed class MomentumRule(double learningRate, double gamma, bool nesterov) : ReferenceRule
{
    public override string Name => nesterov ? "Nesterov" : "Momentum";

    public override string Formula => nesterov ? "v ← γ·v + η·∇J(w − γ·v); w ← w − v" : "v ← γ·v + η·g; w ← w − v";

    public override string Hyperparameters => KitText.Format($"η = {learningRate}, γ = {gamma}");

    public override IReadOnlyList<string> StateSymbols => ["v"];

    public override string GradientSymbol => nesterov ? "∇J(w − γv)" : "g";

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) => nesterov
        ? new Nesterov<double>(parameters, learningRate, gamma)
        : new Momentum<double>(parameters, learningRate, gamma);

    public override IRuleRun Start(int length) => new Run(learningRate, gamma, nesterov, new double[length]);

    private sealed class Run(double eta, double gamma, bool nesterov, double[] v) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(nesterov ? w.Select((x, i) => x - gamma * v[i]).ToArray() : w);
            for (int i = 0; i < v.Length; i++) v[i] = gamma * v[i] + LearningRate * g[i];
            return new RuleStep(w, g, [[.. v]], w.Select((x, i) => x - v[i]).ToArray());
        }
    }
}
