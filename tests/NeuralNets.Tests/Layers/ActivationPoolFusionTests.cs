using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Sequential runs each of the library's elementwise activations followed by a MaxPool2D (but ReLU, whose pair rectifies:
/// <see cref="ReluMaxPoolFusionTests"/>) or an AvgPool2D as one pass (the pool applies the activation to one plane at a
/// time and pools it from there; backward, the derivative from the routed or spread plane, with the output kept for Sigmoid
/// and Tanh): its output, input gradient and parameter gradients are the same bits as the two layers run one after the
/// other, on values with ties, neighbours the activation rounds to one value, infinities and NaN, for the vectorised 2×2
/// windows and the general ones.
/// </summary>
public class ActivationPoolFusionTests
{
    public static TheoryData<string, string, int, int, int, int> Cases()
    {
        var cases = new TheoryData<string, string, int, int, int, int>();
        foreach (string pool in new[] { "MaxPool2D", "AvgPool2D" })
            foreach (string activation in new[] { "ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Softplus", "Sigmoid", "Tanh" })
            {
                cases.Add(pool, activation, 2, 2, 0, 20);  // the 2×2 stride-2 path, eight windows at a time where there are 256-bit vectors
                cases.Add(pool, activation, 2, 2, 0, 13);  // six windows a row: four at a time, the last group overlapping; an odd width's last column in no window
                cases.Add(pool, activation, 2, 2, 0, 7);   // three windows a row: one at a time
                cases.Add(pool, activation, 3, 2, 1, 9);   // overlapping windows with padding: gradients add up
            }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_FusedPairGivesTheLayersOwnBits(string pool, string activation, int kernel, int stride, int padding, int size) =>
        Check<float>(pool, activation, kernel, stride, padding, size);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_FusedPairGivesTheLayersOwnBits(string pool, string activation, int kernel, int stride, int padding, int size) =>
        Check<double>(pool, activation, kernel, stride, padding, size);

    [Theory]
    [InlineData("MaxPool2D", "ELU")]
    [InlineData("MaxPool2D", "Tanh")]
    [InlineData("AvgPool2D", "ReLU")]
    [InlineData("AvgPool2D", "Sigmoid")]
    public void Forward_PoolAppliesTheActivation_ActivationsOwnPassNeverRuns(string pool, string name)
    {
        var activation = Create<float>(name);
        var network = new Sequential<float>(new Conv2D<float>(1, 2, 3, padding: 1, seed: 1), activation, Pool<float>(pool, 2, null, 0), new Flatten<float>(),
            new Dense<float>(2 * 4 * 4, 3, seed: 2));
        network.Forward(TestTensors.Random<float>(3, 2, 1, 8, 8), training: true);
        var act = () => activation.Backward(TestTensors.Random<float>(4, 2, 2, 8, 8));
        act.Should().Throw<InvalidOperationException>("the pool applied the activation, whose own forward pass never ran");
    }

    private static ILayer<T> Pool<T>(string pool, int kernel, int? stride, int padding) where T : unmanaged, IFloatingPointIeee754<T> =>
        pool == "MaxPool2D" ? new MaxPool2D<T>(kernel, stride, padding) : new AvgPool2D<T>(kernel, stride, padding);

    [Fact]
    public void BackwardToParameters_PairAtTheStart_SameGradientsAsBackward()
    {
        var network = new Sequential<float>(new ELU<float>(), new MaxPool2D<float>(2), new Flatten<float>(), new Dense<float>(3 * 4 * 4, 5, seed: 3));
        SequentialBackwardToParametersTests.SameGradientsAsBackward(network, Inputs<float>(2, 3, 8, seed: 5), TestTensors.Random<float>(6, 2, 5));
    }

    private static Activation<T> Create<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "ReLU" => new ReLU<T>(),
        "LeakyReLU" => new LeakyReLU<T>(0.1),
        "ELU" => new ELU<T>(),
        "GELU" => new GELU<T>(),
        "SiLU" => new SiLU<T>(),
        "Softplus" => new Softplus<T>(),
        "Sigmoid" => new Sigmoid<T>(),
        _ => new Tanh<T>(),
    };

    private static void Check<T>(string pool, string activation, int kernel, int stride, int padding, int size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outSize = (size + 2 * padding - kernel) / stride + 1;
        FusedPairCheck.PairFirstAndAfterConvolution(() => [Create<T>(activation), Pool<T>(pool, kernel, stride, padding)],
            Inputs<T>(batch: 2, channels: 3, size, seed: 11), outSize);
    }

    // Small whole numbers and halves (ties everywhere, windows of negatives only), pairs of neighbouring values (which a slope
    // or a saturating function rounds to one value: a tie after the activation, not before), large values either way, ±∞,
    // and a NaN in one window.
    private static Tensor<T> Inputs<T>(int batch, int channels, int size, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[batch * channels * size * size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(8) switch
            {
                0 => T.CreateChecked(random.Next(7) - 3),
                1 => T.CreateChecked((random.Next(9) - 4) * 0.5),
                2 => T.CreateChecked(40 * random.NextDouble() - 20),
                3 => T.CreateChecked(-30 - random.Next(3)),
                4 => T.CreateChecked(25 + random.Next(3)),
                _ => T.CreateChecked(-1.7),
            };
            if (i % 5 == 4) values[i] = T.BitDecrement(values[i - 1]);  // a neighbour of the value before
        }
        values[size + 1] = T.NaN;
        values[2 * size + 3] = T.NegativeInfinity;
        values[3 * size + 4] = T.PositiveInfinity;
        return TestTensors.Create(values, batch, channels, size, size);
    }
}
