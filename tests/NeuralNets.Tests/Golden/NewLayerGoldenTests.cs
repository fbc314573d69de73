using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using static NeuralNets.Tests.Golden.GoldenInputs;

namespace NeuralNets.Tests.Golden;

/// <summary>The issue 16 layers and losses in double against libtorch (section f of TorchGoldenValues.cs), 1e-10 relative.</summary>
public class NewLayerGoldenTests
{
    private static Tensor<double> Tensor(double[] values, params int[] shape) => TestTensors.Create(values, shape);

    public static TheoryData<string> Activations() => ["GeluErf", "GeluTanh", "Elu", "Silu", "Softplus"];

    private static ILayer<double> Activation(string name) => name switch
    {
        "GeluErf" => new GELU<double>(),
        "GeluTanh" => new GELU<double>(tanhApproximation: true),
        "Elu" => new ELU<double>(0.7),
        "Silu" => new SiLU<double>(),
        "Softplus" => new Softplus<double>(1.5, 2.0),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_MatchesTorch(string name)
    {
        var layer = Activation(name);
        var y = layer.Forward(Tensor(Wave(24, 1100, 4.0), 4, 6), training: true);
        var dx = layer.Backward(Tensor(Wave(24, 1150, 1.0), 4, 6));
        y.ToArray().ShouldMatchTorch(Golden(name + "Output"), "output");
        dx.ToArray().ShouldMatchTorch(Golden(name + "InputGrad"), "dx");
    }

    private static double[] Golden(string field) =>
        (double[])typeof(TorchGoldenValues).GetField(field, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)!.GetValue(null)!;

    [Fact]
    public void GlobalAvgPool2D_MatchesTorch()
    {
        var pool = new GlobalAvgPool2D<double>();
        var y = pool.Forward(Tensor(Wave(60, 1200, 2.0), 2, 3, 2, 5), training: true);
        y.Lengths.ToArray().Should().Equal([2, 3]);
        var dx = pool.Backward(Tensor(Wave(6, 1270, 1.0), 2, 3));
        y.ToArray().ShouldMatchTorch(TorchGoldenValues.GlobalAvgPoolOutput, "output");
        dx.ToArray().ShouldMatchTorch(TorchGoldenValues.GlobalAvgPoolInputGrad, "dx");
    }

    [Fact]
    public void BatchNorm2D_TwoTrainingStepsThenInference_MatchesTorch()
    {
        var bn = new BatchNorm2D<double>(3);
        bn.Weight!.SetValue(Wave(3, 1300, 0.5).Select(v => 1 + v).ToArray());
        bn.Bias!.SetValue(Wave(3, 1310, 0.3));
        var x = Wave(60, 1320, 2.0).Select(v => v + 1).ToArray();
        bn.Forward(Tensor(x, 2, 3, 2, 5), training: true);
        bn.Weight!.ZeroGradient();
        bn.Bias!.ZeroGradient();
        var y = bn.Forward(Tensor(x.Select(v => v * 0.5).ToArray(), 2, 3, 2, 5), training: true).ToArray();
        var dx = bn.Backward(Tensor(Wave(60, 1390, 1.0), 2, 3, 2, 5)).ToArray();

        y.ShouldMatchTorch(TorchGoldenValues.BatchNorm2dTrainOutput, "training output");
        dx.ShouldMatchTorch(TorchGoldenValues.BatchNorm2dInputGrad, "dx");
        bn.Weight!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.BatchNorm2dWeightGrad, "dγ");
        bn.Bias!.GradientSpan.ShouldMatchTorch(TorchGoldenValues.BatchNorm2dBiasGrad, "dβ");
        bn.RunningMean.ToArray().ShouldMatchTorch(TorchGoldenValues.BatchNorm2dRunningMean, "running mean");
        bn.RunningVariance.ToArray().ShouldMatchTorch(TorchGoldenValues.BatchNorm2dRunningVar, "running variance");
        bn.Forward(Tensor(x, 2, 3, 2, 5), training: false).ToArray().ShouldMatchTorch(TorchGoldenValues.BatchNorm2dEvalOutput, "inference output");
    }

    [Fact]
    public void BatchNorm1D_Training_MatchesTorch()
    {
        var bn = new BatchNorm1D<double>(4);
        var y = bn.Forward(Tensor(Wave(20, 1400, 1.5), 5, 4), training: true).ToArray();
        var dx = bn.Backward(Tensor(Wave(20, 1450, 1.0), 5, 4)).ToArray();
        y.ShouldMatchTorch(TorchGoldenValues.BatchNorm1dOutput, "output");
        dx.ShouldMatchTorch(TorchGoldenValues.BatchNorm1dInputGrad, "dx");
        bn.RunningVariance.ToArray().ShouldMatchTorch(TorchGoldenValues.BatchNorm1dRunningVar, "running variance (unbiased)");
    }

    [Fact]
    public void Huber_And_L1_MatchTorch()
    {
        var z = Tensor(Wave(12, 1500, 2.0), 3, 4);
        var y = Tensor(Wave(12, 1550, 1.0), 3, 4);
        var huber = new Huber<double>(0.8);
        huber.Forward(z, y).ShouldMatchTorch(TorchGoldenValues.HuberLoss, "Huber loss");
        huber.Backward().ToArray().ShouldMatchTorch(TorchGoldenValues.HuberGrad, "Huber gradient");
        var l1 = new L1Loss<double>();
        l1.Forward(z, y).ShouldMatchTorch(TorchGoldenValues.L1Loss, "L1 loss");
        l1.Backward().ToArray().ShouldMatchTorch(TorchGoldenValues.L1Grad, "L1 gradient");
    }

    [Fact]
    public void CrossEntropy_WeightsAndLabelSmoothing_MatchTorch()
    {
        var loss = new CrossEntropy<double>([0.5, 2, 1, 0.25], labelSmoothing: 0.15);
        loss.Forward(Tensor(Wave(20, 1600, 2.5), 5, 4), Tensor([1.0, 0, 3, 2, 1], 5))
            .ShouldMatchTorch(TorchGoldenValues.WeightedSmoothedCrossEntropyLoss, "loss");
        loss.Backward().ToArray().ShouldMatchTorch(TorchGoldenValues.WeightedSmoothedCrossEntropyGrad, "gradient");
    }
}
