using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A long activation tensor is cut into ranges computed on different cores; each element must
/// come out exactly as when the tensor is too short to cut (one sample at a time).
/// </summary>
public class ActivationSplitTests
{
    public static TheoryData<string> Elementwise => new(["Sigmoid", "Tanh", "ReLU", "LeakyReLU"]);

    private static Activation<float> Create(string name) => name switch
    {
        "Sigmoid" => new Sigmoid<float>(),
        "Tanh" => new Tanh<float>(),
        "ReLU" => new ReLU<float>(),
        _ => new LeakyReLU<float>(0.1),
    };

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void ForwardAndBackward_LongBatch_EqualOneSampleAtATime(string name)
    {
        // Longer than any split threshold the calibration can choose, and not a multiple of the range alignment.
        const int features = 1000, batch = 3 * SplitCalibration.Ceiling / features + 2;
        var x = TestTensors.Random<float>(11, batch, features);
        var dy = TestTensors.Random<float>(12, batch, features);
        var whole = Create(name);
        var y = whole.Forward(x, training: true).ToArray();
        var dx = whole.Backward(dy).ToArray();

        var xs = x.ToArray();
        var dys = dy.ToArray();
        var single = Create(name);
        for (int n = 0; n < batch; n++)
        {
            var row = TestTensors.Create(xs.AsSpan(n * features, features).ToArray(), 1, features);
            var dyRow = TestTensors.Create(dys.AsSpan(n * features, features).ToArray(), 1, features);
            single.Forward(row, training: true).ToArray().Should().Equal(y.AsSpan(n * features, features).ToArray(), $"row {n} forward");
            single.Backward(dyRow).ToArray().Should().Equal(dx.AsSpan(n * features, features).ToArray(), $"row {n} backward");
        }
    }
}
