// README's scale-aware gradient check ("Checking coursework"), compiled and run as written; ReadmeSampleTests reads
// every ReadmeSamples*.cs file.
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Testing;

namespace Coursework.Tests;

/// <summary>README's scale-aware gradient check, run on a layer too large for the fixed floor.</summary>
public class ScaleAwareExampleTests
{
    [Fact]
    public void ScaleAwareCheck_WideDenseLayer_Passes()
    {
        var input = Tensor.Create(Enumerable.Range(0, 2 * 256).Select(i => Math.Sin(0.37 * i)).ToArray(), [2, 256]);
        var options = new GradientCheckOptions { Judgement = GradientCheckJudgement.ScaleAware, Tolerance = 1e-6, Seed = 1 };
        GradientCheck.Layer(new Dense<double>(256, 64, seed: 1), input, options).Should().Pass(options.Tolerance);
    }
}
