using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>w ← w − η·g.</summary>
internal sealed class SgdRule(double learningRate) : ReferenceRule
{
    public override string Name => "Sgd";

    public override string Formula => "w ← w − η·g";

    public override string Hyperparameters => KitText.Format($"η = {learningRate}");

    public override IReadOnlyList<string> StateSymbols => [];

    public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) => new Sgd<double>(parameters, learningRate);

    public override IRuleRun Start(int length) => new Run(learningRate);

    private sealed class Run(double eta) : IRuleRun
    {
        public double LearningRate { get; set; } = eta;

        public RuleStep Step(double[] w, Func<double[], double[]> gradient)
        {
            var g = gradient(w);
            return new RuleStep(w, g, [], w.Select((x, i) => x - LearningRate * g[i]).ToArray());
        }
    }
}
