using System.Numerics.Tensors;
using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Short, fixed training runs whose weights must be the same bit for bit on every CPU: an MLP with a sigmoid
/// and softmax cross-entropy (Adam), a small CNN (convolutions, ReLU, sigmoid, max and average pooling,
/// softmax cross-entropy; momentum), a double MLP through a softmax layer, and a float MLP with tanh and
/// BCE-with-logits trained full-batch by L-BFGS. Shared, by a linked source file,
/// between the test suite and the portable checks that run on ARM64, so both fingerprint the same runs.
/// </summary>
internal static class ReferenceTraining
{
    /// <summary>
    /// The fingerprint (<see cref="WeightFingerprint"/>) of all three runs' final weights in the fused family (CPUs with
    /// a hardware FMA), recorded on x64 with AVX-512.
    /// </summary>
    public const string ExpectedFusedFingerprint = "533eb4b4ca610406";

    /// <summary>The same in the unfused family (CPUs without FMA), recorded on x64 with the family forced (and checked with AVX2 and intrinsics off).</summary>
    public const string ExpectedUnfusedFingerprint = "d24e25d5c63d856a";

    /// <summary>The fingerprint this runtime's own family must give.</summary>
    public static string ExpectedFingerprint => KernelWidth.FusedFamily ? ExpectedFusedFingerprint : ExpectedUnfusedFingerprint;

    /// <summary>Every run's final weights, parameter after parameter, as raw bits.</summary>
    public static ulong Fingerprint()
    {
        var fingerprint = new WeightFingerprint();
        foreach (var values in Mlp()) fingerprint.Add(values);
        foreach (var values in Cnn()) fingerprint.Add(values);
        foreach (var values in DoubleSoftmaxMlp()) fingerprint.Add(values);
        foreach (var values in TanhLogitsLbfgsMlp()) fingerprint.Add(values);
        return fingerprint.Value;
    }

    public static string FingerprintText() => Fingerprint().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static float[][] Mlp()
    {
        var data = new Dataset<float>(Uniform<float>(11, 96, 64), Labels<float>(12, 96, 10));
        var network = Network.Sequential<float>(64).Dense(48).Sigmoid().Dense(10).Build(seed: 13);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, 1e-2));
        trainer.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 14 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    public static float[][] Cnn()
    {
        var data = new Dataset<float>(Uniform<float>(21, 48, 1, 12, 12), Labels<float>(22, 48, 5));
        var network = Network.Sequential<float>(1, 12, 12).Conv2D(4, kernel: 3, padding: 1).ReLU().MaxPool2D(2)
            .Conv2D(8, kernel: 3).Sigmoid().AvgPool2D(2).Flatten().Dense(5).Build(seed: 23);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Momentum<float>(network.Parameters, 0.05, 0.9));
        trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 24 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    public static double[][] DoubleSoftmaxMlp()
    {
        var data = new Dataset<double>(Uniform<double>(31, 40, 37), Uniform<double>(32, 40, 7));
        var network = Network.Sequential<double>(37).Dense(40).Sigmoid().Dense(7).Softmax().Build(seed: 33);
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new Adam<double>(network.Parameters, 1e-2));
        trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 34 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    public static float[][] TanhLogitsLbfgsMlp()
    {
        var data = new Dataset<float>(Uniform<float>(41, 64, 20), Bits<float>(42, 64, 3));
        var network = Network.Sequential<float>(20).Dense(16).Tanh().Dense(3).Build(seed: 43);
        var trainer = new Trainer<float>(network, new BinaryCrossEntropyWithLogits<float>(), new Lbfgs<float>(network.Parameters, maxIterations: 5));
        trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 44 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    private static Tensor<T> Bits<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int count = 1;
        foreach (int d in shape) count *= d;
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.Next(2));
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }

    private static Tensor<T> Uniform<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int count = 1;
        foreach (int d in shape) count *= d;
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }

    private static Tensor<T> Labels<T>(int seed, int count, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.Next(classes));
        return Tensor.Create(values, [(nint)count]);
    }
}
