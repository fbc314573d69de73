using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Diagnostics;

public class GradientCheckTests
{
    [Theory]
    [InlineData(1, 3, 4, 2, "tanh")]
    [InlineData(5, 2, 7, 3, "sigmoid")]
    [InlineData(4, 6, 5, 4, "leakyrelu")]
    [InlineData(8, 10, 16, 10, "relu")]
    public void Network_MlpWithCrossEntropy_MatchesFiniteDifferences(int batch, int inputs, int hidden, int classes, string activation)
    {
        var network = Mlp(inputs, hidden, classes, activation, seed: batch);
        var labels = Enumerable.Range(0, batch).Select(i => (double)(i * 3 % classes)).ToArray();

        // ε = 1e-5: a larger step keeps round-off (≈1e-16·L/ε) small next to derivatives of 1e-4.
        var result = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), TestTensors.Random<double>(batch, batch, inputs), TestTensors.Create(labels, batch), epsilon: 1e-5);

        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
        result.ElementsChecked.Should().Be(batch * inputs + network.ParameterCount);
    }

    [Theory]
    [InlineData(1, 2, 2, 1)]
    [InlineData(6, 4, 3, 2)]
    public void Network_TwoHiddenLayersWithMse_MatchesFiniteDifferences(int batch, int inputs, int hidden, int outputs)
    {
        var network = Network.Sequential<double>(inputs).Dense(hidden).Tanh().Dense(hidden).Sigmoid().Dense(outputs).Build(seed: 3);

        var result = GradientCheck.Network(network, new MeanSquaredError<double>(), TestTensors.Random<double>(1, batch, inputs), TestTensors.Random<double>(2, batch, outputs));

        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Layer_WrongParameterGradient_IsReportedWithItsName()
    {
        var layer = new BrokenScale(parameterGradientFactor: 1.1, inputGradientFactor: 1.0);

        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(1, 3, 2));

        result.Passed().Should().BeFalse();
        result.Where.Should().Be("scale");
        result.MaxRelativeError.Should().BeApproximately(0.1 / 1.1, 1e-6, result.ToString());
    }

    [Fact]
    public void Layer_WrongInputGradient_IsReportedAsInput()
    {
        var layer = new BrokenScale(parameterGradientFactor: 1.0, inputGradientFactor: -1.0);

        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(1, 3, 2));

        result.Passed().Should().BeFalse();
        result.Where.Should().Be("input");
        result.MaxRelativeError.Should().BeApproximately(2, 1e-6, result.ToString());
    }

    [Fact]
    public void Layer_CorrectTestLayer_Passes()
    {
        var result = GradientCheck.Layer(new BrokenScale(1.0, 1.0), TestTensors.Random<double>(1, 3, 2));
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Fact]
    public void Network_BrokenLayerInside_IsFoundByItsSequentialName()
    {
        var network = new Sequential<double>([2], new Dense<double>(2, 3, seed: 1), new BrokenScale(1.5, 1.0), new Dense<double>(3, 1, seed: 2));

        var result = GradientCheck.Network(network, new MeanSquaredError<double>(), TestTensors.Random<double>(4, 5, 2), TestTensors.Random<double>(5, 5, 1));

        result.Passed().Should().BeFalse();
        result.Where.Should().Be("1.scale");
    }

    internal static Sequential<double> Mlp(int inputs, int hidden, int outputs, string activation, int seed)
    {
        var builder = Network.Sequential<double>(inputs).Dense(hidden);
        builder = activation switch
        {
            "tanh" => builder.Tanh(),
            "sigmoid" => builder.Sigmoid(),
            "relu" => builder.ReLU(),
            "leakyrelu" => builder.LeakyReLU(0.1),
            _ => throw new ArgumentException(activation),
        };
        return builder.Dense(outputs).Build(seed);
    }

    /// <summary>
    /// y = a·x with one learnable scalar a. Its Backward multiplies the true dL/da by
    /// <c>parameterGradientFactor</c> and dL/dx by <c>inputGradientFactor</c>: 1 and 1 is correct.
    /// </summary>
    private sealed class BrokenScale(double parameterGradientFactor, double inputGradientFactor) : ILayer<double>
    {
        private readonly Parameter<double> _scale = CreateScale();
        private double[] _input = [];
        private int[] _shape = [];

        public IReadOnlyList<Parameter<double>> Parameters => [_scale];

        public Tensor<double> Forward(Tensor<double> input, bool training = false)
        {
            _input = input.ToArray();
            _shape = input.Shape();
            return TensorMemory.Wrap(_input.Select(v => v * _scale.ValueSpan[0]).ToArray(), _shape);
        }

        public Tensor<double> Backward(Tensor<double> outputGradient)
        {
            var dy = outputGradient.ToArray();
            double da = 0;
            for (int i = 0; i < dy.Length; i++) da += dy[i] * _input[i];
            _scale.GradientSpan[0] += parameterGradientFactor * da;
            return TensorMemory.Wrap(dy.Select(g => inputGradientFactor * g * _scale.ValueSpan[0]).ToArray(), _shape);
        }

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();

        public LayerDescription Describe() => new("BrokenScale", new Dictionary<string, double>());

        private static Parameter<double> CreateScale()
        {
            var p = new Parameter<double>("scale", 1);
            p.SetValue([1.7]);
            return p;
        }
    }
}
