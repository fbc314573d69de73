using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Threading;

/// <summary>
/// In Predict, a Dense followed by one of the library's elementwise activations applies it to each chunk of its output on
/// the core that computed it, and the activation passes that output on: the results must be the network's own unfused
/// inference (<see cref="Sequential{T}.Forward"/> with training false) bit for bit, for every such activation, in float
/// and double, at batch sizes whose products take every path, and on every thread count.
/// </summary>
[Collection(ProcessWideMeasurement.Name)] // they change the thread count: no other test runs meanwhile
public class FusedActivationPredictTests
{
    public static TheoryData<string> Activations() => ["ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ELU", "GELU", "GELUTanh", "SiLU", "Softplus"];

    private static SequentialBuilder<T> With<T>(SequentialBuilder<T> builder, string activation) where T : unmanaged, IFloatingPointIeee754<T> =>
        activation switch
        {
            "ReLU" => builder.ReLU(),
            "Sigmoid" => builder.Sigmoid(),
            "Tanh" => builder.Tanh(),
            "LeakyReLU" => builder.LeakyReLU(0.2),
            "ELU" => builder.ELU(0.7),
            "GELU" => builder.GELU(),
            "GELUTanh" => builder.GELU(tanhApproximation: true),
            "SiLU" => builder.SiLU(),
            "Softplus" => builder.Softplus(beta: 2, threshold: 3),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };

    // Two dense layers each followed by the activation: a wide one whose product splits across the cores, and a narrow one.
    private static Sequential<T> Network<T>(string activation) where T : unmanaged, IFloatingPointIeee754<T> =>
        With(With(NeuralNets.Network.Sequential<T>(1, 20, 20).Flatten().Dense(300), activation).Dense(21), activation).Dense(5).Build(seed: 7);

    [Theory]
    [MemberData(nameof(Activations))]
    public void Predict_Float_SameBitsAsUnfusedInference(string activation) => Check<float>(activation);

    [Theory]
    [MemberData(nameof(Activations))]
    public void Predict_Double_SameBitsAsUnfusedInference(string activation) => Check<double>(activation);

    private static void Check<T>(string activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = Network<T>(activation);
        foreach (int batch in new[] { 1, 3, 64 })
        {
            // Inputs spread over [-6, 6], so that every branch of each activation is taken.
            var values = TestTensors.Random<T>(batch, batch, 1, 20, 20).ToArray().Select(v => v * T.CreateChecked(6)).ToArray();
            var input = Tensor.Create(values, [batch, 1, 20, 20]);
            var unfused = network.Forward(input, training: false).ToArray();
            foreach (int threads in new[] { Parallelism.DefaultMaxThreads, 1, 3 })
            {
                Parallelism.MaxThreads = threads;
                try
                {
                    network.Predict(input).ToArray().Should().Equal(unfused, $"{activation}, batch {batch}, {threads} threads");
                }
                finally
                {
                    Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
                }
            }
        }
    }

    [Fact]
    public void Predict_ActivationOfTheUsers_IsNotFused_AndGivesItsResult()
    {
        var network = new Sequential<float>([4], new Dense<float>(4, 6, seed: 1), new Squares(), new Dense<float>(6, 2, seed: 2));
        var input = TestTensors.Random<float>(3, 5, 4);
        network.Predict(input).ToArray().Should().Equal(network.Forward(input, training: false).ToArray());
    }

    /// <summary>An elementwise activation of a user's: never applied by the Dense before it.</summary>
    private sealed class Squares : Activation<float>
    {
        public override string Kind => "Squares";

        protected override bool SplitsAcrossThreads => true;

        protected override void Activate(ReadOnlySpan<float> x, Span<float> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i];
        }

        protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        {
            for (int i = 0; i < x.Length; i++) dx[i] = 2 * x[i] * dy[i];
        }
    }
}
