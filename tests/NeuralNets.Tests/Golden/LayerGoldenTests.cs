using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using static NeuralNets.Tests.Golden.GoldenInputs;

namespace NeuralNets.Tests.Golden;

/// <summary>
/// Layers and losses in double against values recorded from libtorch (TorchGoldenValues.cs) on the same
/// inputs: forward values, parameter gradients and input gradients agree to 1e-10 relative.
/// </summary>
public class LayerGoldenTests
{
    private static Tensor<double> Tensor(double[] values, params int[] shape) => TestTensors.Create(values, shape);

    /// <summary>The golden 3-4-2 network: Dense, <paramref name="activation"/>, Dense, with Wave weights (PyTorchOptimizerTests trains it too).</summary>
    internal static (Dense<double> First, Dense<double> Second, Sequential<double> Network) GoldenMlp(ILayer<double> activation)
    {
        var dense1 = new Dense<double>(3, 4, seed: 1);
        var dense2 = new Dense<double>(4, 2, seed: 2);
        dense1.Weight.SetValue(Wave(12, 20, 0.8));   // [out, in], PyTorch's layout
        dense1.Bias!.SetValue(Wave(4, 40, 0.3));
        dense2.Weight.SetValue(Wave(8, 50, 0.9));
        dense2.Bias!.SetValue(Wave(2, 70, 0.2));
        return (dense1, dense2, new Sequential<double>(dense1, activation, dense2));
    }

    [Fact]
    public void Mlp_CrossEntropy_MatchesTorch()
    {
        var (dense1, dense2, net) = GoldenMlp(new Sigmoid<double>());
        var loss = new SoftmaxCrossEntropy<double>();
        var x = Tensor(Wave(15, 0, 1.5), 5, 3);
        var labels = Tensor([0.0, 1, 0, 1, 0], 5);

        var z = net.Forward(x, training: true);
        double value = loss.Forward(z, labels);
        var dx = net.Backward(loss.Backward());

        value.ShouldMatchTorch(TorchGoldenValues.MlpLoss, "loss");
        z.ToArray().ShouldMatchTorch(TorchGoldenValues.MlpOutput, "output");
        dense1.Weight.GradientSpan.ShouldMatchTorch(TorchGoldenValues.MlpW1Grad, "dL/dW1");
        dense1.Bias!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.MlpB1Grad, "dL/db1");
        dense2.Weight.GradientSpan.ShouldMatchTorch(TorchGoldenValues.MlpW2Grad, "dL/dW2");
        dense2.Bias!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.MlpB2Grad, "dL/db2");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.MlpInputGrad, "dL/dx");
    }

    [Fact]
    public void Conv2D_RectangularKernelStridePadding_MatchesTorch()
    {
        var conv = new Conv2D<double>(2, 3, (3, 2), new Random(1), stride: (2, 1), padding: (1, 0));
        conv.Weight.SetValue(Wave(36, 200, 0.5));
        conv.Bias!.SetValue(Wave(3, 300, 0.4));
        var x = Tensor(Wave(80, 100, 1.2), 2, 2, 5, 4);

        var y = conv.Forward(x, training: true);
        y.Lengths.ToArray().Should().Equal([2, 3, 3, 3]);
        var dx = conv.Backward(Tensor(Wave(54, 400, 1.0), 2, 3, 3, 3));

        y.ToArray().ShouldMatchTorch(TorchGoldenValues.ConvOutput, "output");
        conv.Weight.GradientSpan.ShouldMatchTorch(TorchGoldenValues.ConvWeightGrad, "dW");
        conv.Bias!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.ConvBiasGrad, "db");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.ConvInputGrad, "dx");
    }

    [Fact]
    public void ConvTranspose2D_StridePaddingOutputPadding_MatchesTorch()
    {
        var layer = new ConvTranspose2D<double>(2, 3, (3, 2), new Random(1), stride: (2, 3), padding: (1, 0), outputPadding: (1, 2));
        layer.Weight.SetValue(Wave(36, 800, 0.6));   // [Cin, Cout, kH, kW], PyTorch's layout
        layer.Bias!.SetValue(Wave(3, 900, 0.3));
        var x = Tensor(Wave(24, 700, 1.1), 2, 2, 3, 2);

        var y = layer.Forward(x, training: true);
        y.Lengths.ToArray().Should().Equal([2, 3, 6, 7]);
        var dx = layer.Backward(Tensor(Wave(252, 1000, 1.0), 2, 3, 6, 7));

        y.ToArray().ShouldMatchTorch(TorchGoldenValues.ConvTransposeOutput, "output");
        layer.Weight.GradientSpan.ShouldMatchTorch(TorchGoldenValues.ConvTransposeWeightGrad, "dW");
        layer.Bias!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.ConvTransposeBiasGrad, "db");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.ConvTransposeInputGrad, "dx");
    }

    [Fact]
    public void MaxPool2D_OverlappingWindows_MatchesTorch()
    {
        var pool = new MaxPool2D<double>(2, stride: 1);
        var x = Tensor(Wave(50, 500, 2.0), 1, 2, 5, 5);

        var y = pool.Forward(x, training: true);
        y.Lengths.ToArray().Should().Equal([1, 2, 4, 4]);
        var dx = pool.Backward(Tensor(Wave(32, 600, 1.0), 1, 2, 4, 4));

        y.ToArray().ShouldMatchTorch(TorchGoldenValues.MaxPoolOutput, "output");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.MaxPoolInputGrad, "dx");
    }

    [Fact]
    public void AvgPool2D_PaddedStrided_MatchesTorch()
    {
        var pool = new AvgPool2D<double>(3, stride: 2, padding: 1);
        var x = Tensor(Wave(50, 500, 2.0), 1, 2, 5, 5);

        var y = pool.Forward(x, training: true);
        y.Lengths.ToArray().Should().Equal([1, 2, 3, 3]);
        var dx = pool.Backward(Tensor(Wave(18, 700, 1.0), 1, 2, 3, 3));

        y.ToArray().ShouldMatchTorch(TorchGoldenValues.AvgPoolOutput, "output");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.AvgPoolInputGrad, "dx");
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_MatchesTorch()
    {
        var loss = new BinaryCrossEntropyWithLogits<double>();
        var z = Tensor(Wave(6, 800, 3.0), 3, 2);
        var y = Tensor(Wave(6, 850, 0.5).Select(v => 0.5 + v).ToArray(), 3, 2);

        loss.Forward(z, y).ShouldMatchTorch(TorchGoldenValues.BceLoss, "loss");
        loss.Backward().ToArray().ShouldMatchTorch(TorchGoldenValues.BceGrad, "dL/dz");
    }

    [Fact]
    public void MeanSquaredError_MatchesTorch()
    {
        var loss = new MeanSquaredError<double>();
        var z = Tensor(Wave(6, 900, 2.0), 3, 2);
        var y = Tensor(Wave(6, 950, 1.0), 3, 2);

        loss.Forward(z, y).ShouldMatchTorch(TorchGoldenValues.MseLoss, "loss");
        loss.Backward().ToArray().ShouldMatchTorch(TorchGoldenValues.MseGrad, "dL/dz");
    }
}
