using NeuralNets.Diagnostics;
using NeuralNets.Losses;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Gradients;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Gradients;

public class GradientDiagnosisTests
{
    private static GradientCheckResult Check(Mistake mistake, int batch = 4, int inputs = 3, int outputs = 2) =>
        GradientCheck.Layer(new StudentDense(inputs, outputs, seed: 5, mistake), ContractTensors.Random(9, [batch, inputs]));

    [Fact]
    public void Explain_CorrectLayer_SaysPassedAndEveryTensorRight()
    {
        var text = Check(Mistake.None).Explain();

        text.Should().StartWith("gradient check passed at tolerance 1e-6: max relative error ");
        text.Should().Contain("input [4, 3]: right").And.Contain("weight [2, 3]: right").And.Contain("bias [2]: right");
    }

    [Fact]
    public void Explain_WeightGradientAveraged_SaysDividedByTheBatchAndRightForTheInput()
    {
        var text = Check(Mistake.WeightGradientAveraged).Explain();

        text.Should().Contain("weight [2, 3]: wrong at 6 of 6 elements: about 4 times too small (the batch holds 4 samples: divided by the batch size, but only the loss averages over the batch)");
        text.Should().Contain("The gradient is right for the input but wrong for weight: the chain rule reaches the input correctly");
    }

    [Fact]
    public void Explain_WeightGradientNegated_SaysOppositeSign()
    {
        Check(Mistake.WeightGradientNegated).Explain().Should().Contain("weight [2, 3]: wrong at 6 of 6 elements: the opposite sign of the right one");
    }

    [Fact]
    public void Explain_SquareWeightGradientTransposed_SaysRowsAndColumnsSwapped()
    {
        Check(Mistake.WeightGradientTransposed, inputs: 3, outputs: 3).Explain()
            .Should().Contain("the transpose of the right one: the gradient of the [3, 3] tensor has its rows and columns swapped (element [i, j] holds what belongs at [j, i])")
            .And.NotContain("formed as");
    }

    [Fact]
    public void Explain_BiasGradientMissing_SaysZeroEverywhere()
    {
        Check(Mistake.BiasGradientMissing).Explain().Should().Contain("bias [2]: wrong at 2 of 2 elements: zero everywhere");
    }

    [Fact]
    public void Explain_InputGradientScaled_SaysWrongForTheInputOnly()
    {
        var text = Check(Mistake.InputGradientScaled).Explain();

        text.Should().Contain("input [4, 3]: wrong at 12 of 12 elements: about 1.5 times too large;");
        text.Should().Contain("The gradient is right for weight, bias but wrong for the input");
    }

    [Fact]
    public void Explain_InputAndWeightGradientWrong_NamesBothWrongTensors()
    {
        var text = Check(Mistake.InputAndWeightGradientScaled).Explain();

        text.Should().Contain("The gradient is right for bias but wrong for the input and for weight: look at the gradient Backward returns and at how it forms the gradient of weight.");
    }

    [Fact]
    public void Explain_LossSummedOverTheBatch_SaysSummedNotAveraged()
    {
        var output = ContractTensors.Random(3, [5, 2]);
        var target = ContractTensors.Random(4, [5, 2]);

        var text = GradientCheck.Loss(new SummedSquaredError(), output, target).Explain();

        text.Should().Contain("input [5, 2]: wrong at 10 of 10 elements: about 5 times too large (the batch holds 5 samples: summed over the batch, not averaged)");
    }

    [Fact]
    public void Location_ParameterOfFourAxes_IsWrittenInItsCoordinates()
    {
        GradientCheckTensor.FormatLocation("0.weight", [6, 3, 5, 5], 3 * 75 + 1 * 25 + 2 * 5 + 2).Should().Be("0.weight[3, 1, 2, 2]");
    }

    [Fact]
    public void ToString_WrongWeight_NamesTheElementInItsCoordinates()
    {
        var result = Check(Mistake.WeightGradientNegated);

        result.Where.Should().Be("weight");
        result.Location.Should().MatchRegex(@"^weight\[[01], [012]\]$");
        result.ToString().Should().Contain($"at {result.Location} (analytic");
    }

    [Fact]
    public void ToString_ResultMadeByHand_KeepsTheFlatIndex()
    {
        var result = new GradientCheckResult(0.5, "0.weight", 7, 1.0, 2.0, 12);

        result.Tensors.Should().BeEmpty();
        result.ToString().Should().Be("max relative error 5.000E-001 at 0.weight[7] (analytic 1, numeric 2; 12 elements checked)");
    }

    /// <summary>½·mean over the batch of Σ (y − t)², whose Backward forgets to divide by the batch.</summary>
    private sealed class SummedSquaredError : ILoss<double>
    {
        private double[] _difference = [];
        private int[] _shape = [];

        public double Forward(System.Numerics.Tensors.Tensor<double> output, System.Numerics.Tensors.Tensor<double> target)
        {
            _shape = ContractTensors.Shape(output);
            var y = ContractTensors.Values(output);
            var t = ContractTensors.Values(target);
            _difference = y.Select((v, i) => v - t[i]).ToArray();
            return 0.5 * _difference.Sum(d => d * d) / _shape[0];
        }

        public System.Numerics.Tensors.Tensor<double> Backward() => ContractTensors.Create([.. _difference], _shape);
    }
}
