using NeuralNets.Layers;
using NeuralNets.Testing.Contract;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>
/// Correct layers pass the gradient rule at the default tolerance whatever the seed and shape: a fixed floor once failed
/// Dense(64 → 33), a 5×5 convolution and the smooth activations on some seeds, from rounding of the finite differences alone.
/// </summary>
public class GradientRuleSeedTests
{
    private const int Seeds = 20;

    public static TheoryData<string> Layers => [.. Make(1).Keys];

    private static Dictionary<string, (ILayer<double> Layer, int[] Sample)> Make(int seed) => new()
    {
        ["Dense 64→33"] = (new Dense<double>(64, 33, seed: seed), [64]),
        ["Dense 8→5"] = (new Dense<double>(8, 5, seed: seed), [8]),
        ["Conv2D 3→16 k5 p2"] = (new Conv2D<double>(3, 16, 5, seed: seed, padding: 2), [3, 8, 8]),
        ["Conv2D 2→8 k3 s2 p1"] = (new Conv2D<double>(2, 8, 3, seed: seed, stride: 2, padding: 1), [2, 7, 7]),
        ["ConvTranspose2D"] = (new ConvTranspose2D<double>(2, 3, 3, seed: seed, stride: 2, padding: 1, outputPadding: 1), [2, 4, 4]),
        ["GELU"] = (new GELU<double>(), [17]),
        ["GELU tanh"] = (new GELU<double>(true), [2, 3, 3]),
        ["SiLU"] = (new SiLU<double>(), [17]),
        ["LeakyReLU"] = (new LeakyReLU<double>(0.1), [17]),
        ["Softplus"] = (new Softplus<double>(), [2, 3, 3]),
        ["ELU"] = (new ELU<double>(), [17]),
        ["Softmax"] = (new Softmax<double>(), [17]),
        ["LogSoftmax"] = (new LogSoftmax<double>(), [17]),
        ["Hardtanh"] = (new Hardtanh<double>(0, 6), [17]),
        ["Hardsigmoid"] = (new Hardsigmoid<double>(), [17]),
        ["Hardswish"] = (new Hardswish<double>(), [17]),
        ["BatchNorm1D"] = (new BatchNorm1D<double>(4), [4]),
        ["BatchNorm2D"] = (new BatchNorm2D<double>(3), [3, 4, 4]),
        ["Dropout"] = (new Dropout<double>(0.5, seed), [2, 3, 3]),
        ["MLP with BatchNorm1D"] = (Network.Sequential<double>(4).Dense(5).BatchNorm1D().Tanh().Dense(2).Build(seed: seed), [4]),
        ["MLP with Dropout"] = (Network.Sequential<double>(4).Dense(5).Dropout(0.5).Dense(2).Build(seed: seed), [4]),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Check_CorrectBuiltInLayer_PassesTheGradientRuleOnEverySeed(string name)
    {
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var (layer, sample) = Make(seed)[name];

            var report = LayerContract.Check(layer, sample, new LayerContractOptions { Seed = seed });

            var rule = report.Rules.Single(r => r.Rule == "gradients match central differences");
            rule.Status.Should().Be(RuleStatus.Passed, $"seed {seed}: {report}");
        }
    }
}
