using System.Text.RegularExpressions;
using Coursework;
using NeuralNets.Diagnostics;
using NeuralNets.Losses;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests;

/// <summary>Every failure message README's "Checking coursework" quotes is produced here, word for word.</summary>
public class ReadmeQuoteTests
{
    private static string Quoted(string name)
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var match = Regex.Match(readme, $@"<!-- quoted: {name} -->\n```text\n(.*?)\n```", RegexOptions.Singleline);
        match.Success.Should().BeTrue($"README.md should quote the message '{name}'");
        return match.Groups[1].Value;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NeuralNets.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("NeuralNets.sln not found above " + AppContext.BaseDirectory);
    }

    private static string MessageOf(Action assertion)
    {
        var thrown = Record.Exception(assertion);
        thrown.Should().NotBeNull();
        return thrown!.Message.ReplaceLineEndings("\n").TrimEnd();
    }

    [Fact]
    public void SatisfyLayerContract_WeightGradientAveraged_IsTheMessageReadmeQuotes()
    {
        string message = MessageOf(() => new StudentDense(3, 2, seed: 7, Mistake.WeightGradientAveraged).Should().SatisfyLayerContract([3]));

        message.Should().Be(Quoted("contract"));
    }

    [Fact]
    public void SatisfyLayerContract_ForwardWritingIntoItsInput_IsTheMessageReadmeQuotes()
    {
        string message = MessageOf(() => new StudentDense(3, 2, seed: 7, Mistake.WritesIntoInput).Should().SatisfyLayerContract([3]));

        message.Should().Be(Quoted("blame"));
    }

    [Fact]
    public void Pass_LossSummedOverTheBatch_IsTheMessageReadmeQuotes()
    {
        var logits = ContractTensors.Random(3, [4, 3]);
        var labels = ContractTensors.Create([0, 2, 1, 2], [4]);

        string message = MessageOf(() => GradientCheck.Loss(new SummedCrossEntropy(), logits, labels).Should().Pass(1e-6));

        message.Should().Be(Quoted("gradient"));
    }

    [Fact]
    public void MatchReference_NesterovWithoutLookAhead_IsTheMessageReadmeQuotes()
    {
        string message = MessageOf(() => OptimizerHarness.Compare(ReferenceRule.Nesterov(1e-3, 0.9), ps => new MomentumOptimizer(ps, 1e-3, 0.9)).Should().MatchReference());

        message.Should().Be(Quoted("optimizer"));
    }

    /// <summary>The reference solution's cross-entropy with the classic slip: the gradient not divided by the batch.</summary>
    private sealed class SummedCrossEntropy : ILoss<double>
    {
        private readonly SoftmaxCrossEntropyLoss _loss = new();
        private int _batch;

        public double Forward(System.Numerics.Tensors.Tensor<double> output, System.Numerics.Tensors.Tensor<double> target)
        {
            _batch = (int)output.Lengths[0];
            return _loss.Forward(output, target);
        }

        public System.Numerics.Tensors.Tensor<double> Backward()
        {
            var gradient = _loss.Backward();
            var values = ContractTensors.Values(gradient).Select(g => g * _batch).ToArray();
            return ContractTensors.Create(values, ContractTensors.Shape(gradient));
        }
    }
}
