using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>
/// A teacher's own reference rule written before IRuleRun had LearningRate keeps compiling and working: its run does not
/// take a new η, so the harness leaves η as it is for it (and still checks the several-parameter problem). The rule uses only
/// public and protected members, as one in the teacher's own assembly must (ReferenceRuleSurfaceTests).
/// </summary>
public class TeachersOwnRuleTests
{
    [Fact]
    public void ARuleWithoutLearningRate_StillComparesAndPasses()
    {
        var comparison = OptimizerHarness.Compare(new PlainSgd(1e-3), parameters => new Sgd<double>(parameters, 1e-3));
        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void ARuleWithoutLearningRate_StillCatchesAWrongOptimizer()
    {
        var comparison = OptimizerHarness.Compare(new PlainSgd(1e-3), parameters => new Sgd<double>(parameters, 0.8e-3));
        comparison.Passed.Should().BeFalse();
    }

    private sealed class PlainSgd(double eta) : ReferenceRule
    {
        public override string Name => "PlainSgd";
        public override string Formula => "w ← w − η·g";
        public override string Hyperparameters => "η";
        public override IReadOnlyList<string> StateSymbols => [];
        public override IOptimizer<double> CreateReference(IReadOnlyList<Parameter<double>> parameters) => new Sgd<double>(parameters, eta);
        public override IRuleRun Start(int length) => new Run(eta);

        // Written as before: Step only.
        private sealed class Run(double eta) : IRuleRun
        {
            public RuleStep Step(double[] w, Func<double[], double[]> gradient)
            {
                var g = gradient(w);
                return new RuleStep(w, g, [], w.Select((x, i) => x - eta * g[i]).ToArray());
            }
        }
    }
}
