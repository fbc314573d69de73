using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Sequential's Dense after one of the library's elementwise activations applies that activation's derivative to its input
/// gradient as the product finishes each band of rows: the output, the input gradient and every parameter gradient are the
/// same bits as the layers run one after the other, for every such activation, at batch sizes that take each path of the
/// product (one row, a few, chunks split across the team), with the activation first in the network or after a layer.
/// </summary>
public class ActivationDenseFusionTests
{
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var name in new[] { "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "GELU-tanh", "SiLU", "Softplus" })
            foreach (int batch in new[] { 1, 3, 64, 256 })
                cases.Add(name, batch);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_FusedPairGivesTheLayersOwnBits(string activation, int batch) => Check<float>(activation, batch);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_FusedPairGivesTheLayersOwnBits(string activation, int batch) => Check<double>(activation, batch);

    [Fact]
    public void BackwardToParameters_ActivationFirst_SameGradientsAsBackward()
    {
        var network = new Sequential<float>(new Tanh<float>(), new Dense<float>(12, 40, seed: 3), new Sigmoid<float>(), new Dense<float>(40, 5, seed: 4));
        var x = TestTensors.Random<float>(5, 70, 12);
        SequentialBackwardToParametersTests.SameGradientsAsBackward(network, x, TestTensors.Random<float>(6, 70, 5));
    }

    private static ILayer<T> Activation<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "Sigmoid" => new Sigmoid<T>(),
        "Tanh" => new Tanh<T>(),
        "ReLU" => new ReLU<T>(),
        "LeakyReLU" => new LeakyReLU<T>(0.1),
        "ELU" => new ELU<T>(),
        "GELU" => new GELU<T>(),
        "GELU-tanh" => new GELU<T>(tanhApproximation: true),
        "SiLU" => new SiLU<T>(),
        "Softplus" => new Softplus<T>(),
        _ => throw new ArgumentException(name),
    };

    private static void Check<T>(string activation, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // After a dense layer (the MLP's shape), first in the network (its input gradient is the network's), and before a
        // wide layer, whose input gradient's product is cut into column chunks (the derivative then runs as its own pass).
        CheckNetwork(TestTensors.Random<T>(11, batch, 30), batch, 10,
            new Dense<T>(30, 128, seed: 7), Activation<T>(activation), new Dense<T>(128, 10, seed: 9));
        CheckNetwork(TestTensors.Random<T>(12, batch, 48), batch, 10,
            Activation<T>(activation), new Dense<T>(48, 10, seed: 9));
        CheckNetwork(TestTensors.Random<T>(14, batch, 20), batch, 70,
            new Dense<T>(20, 256, seed: 5), Activation<T>(activation), new Dense<T>(256, 70, seed: 6));
    }

    private static void CheckNetwork<T>(Tensor<T> x, int batch, int outputs, params ILayer<T>[] layers) where T : unmanaged, IFloatingPointIeee754<T>
        => FusedPairCheck.SameBitsAsTheLayersInTurn(new Sequential<T>(layers), x, TestTensors.Random<T>(13, batch, outputs));
}
