using NeuralNets.Layers;

namespace NeuralNets.Tests.Threading;

/// <summary>
/// Predict from several threads while another thread runs training passes on the same network of bias-less layers
/// (Conv2D, ConvTranspose2D and Dense built with bias: false, one in a nested network): the inference copies keep their
/// own buffers, so every answer is the serial one, bit for bit.
/// </summary>
public class BiasFreeInferenceWhileTrainingTests
{
    [Fact]
    public void Predict_WhileTrainingPassesRunOnABiasFreeNetwork_EqualsSerialBitForBit()
    {
        var network = new Sequential<float>([2, 8, 8],
            Network.Sequential<float>([2, 8, 8]).Conv2D(4, 3, padding: 1, bias: false).ReLU().Build(seed: 1),
            new ConvTranspose2D<float>(4, 3, kernel: 2, seed: 2, stride: 2, bias: false), new Flatten<float>(),
            new Dense<float>(3 * 16 * 16, 5, seed: 3, bias: false));
        var inputs = Enumerable.Range(0, 256).Select(i => TestTensors.Random<float>(100 + i, 2, 2, 8, 8)).ToArray();
        var expected = inputs.Select(x => network.Predict(x).ToArray()).ToArray();
        var trainingInput = TestTensors.Random<float>(9, 6, 2, 8, 8);
        var gradient = TestTensors.Random<float>(10, 6, 5);
        using var stop = new CancellationTokenSource();
        int passes = 0;
        var trainer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                network.Forward(trainingInput, training: true);
                network.Backward(gradient);
                passes++;
            }
        });
        var actual = new float[inputs.Length][];
        trainer.Start();
        while (Volatile.Read(ref passes) == 0) Thread.Yield();
        try
        {
            ManyThreads.Run(4, inputs.Length, i => actual[i] = network.Predict(inputs[i]).ToArray());
        }
        finally
        {
            stop.Cancel();
            trainer.Join();
        }
        for (int i = 0; i < inputs.Length; i++) actual[i].Should().Equal(expected[i], $"input {i}");
    }
}
