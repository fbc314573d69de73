using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tests.Kernels;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// The library's promises about a network's results, checked on networks drawn at random (<see cref="RandomNetwork{T}"/>)
/// rather than on the shapes each layer's own tests chose: a training pass of the network, whatever layers it fuses, gives
/// the bits of its layers run one by one, on one, two or three threads alike and at every vector width (each numeric
/// family at all its widths); and its predictions equal its layers' own
/// inference, each sample's prediction alone equals its row of the batch's, and a frozen copy, the network saved and loaded
/// again, and predictions from four threads at once all give the same bits.
/// </summary>
[Collection(ProcessWideMeasurement.Name)] // they change the thread count: no other test runs meanwhile
public class RandomNetworkPromisesTests
{
    public static TheoryData<int, bool> Seeds()
    {
        var seeds = new TheoryData<int, bool>();
        for (int seed = 1; seed <= 60; seed++) seeds.Add(seed, false);
        for (int seed = 1001; seed <= 1012; seed++) seeds.Add(seed, true);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TrainingPass_Float_SameBitsInTurnOnEveryThreadCountAndWidth(int seed, bool large) => TrainingPass<float>(seed, large);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Predictions_Float_KeepEveryPromise(int seed, bool large) => Predictions<float>(seed, large);

    [Theory]
    [InlineData(3, false)]
    [InlineData(8, false)]
    [InlineData(21, false)]
    [InlineData(1003, true)]
    public void TrainingPass_Double_SameBitsInTurnOnEveryThreadCountAndWidth(int seed, bool large) => TrainingPass<double>(seed, large);

    [Theory]
    [InlineData(4, false)]
    [InlineData(9, false)]
    [InlineData(1004, true)]
    public void Predictions_Double_KeepEveryPromise(int seed, bool large) => Predictions<double>(seed, large);

    private static void TrainingPass<T>(int seed, bool large) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var drawn = new RandomNetwork<T>(seed, large);
        var x = drawn.Input(seed + 100);
        var dy = drawn.OutputGradient(seed + 200);
        Pass<T>? first = null;
        try
        {
            foreach (int threads in new[] { 2, 1, 3 })
            {
                Parallelism.MaxThreads = threads;
                string where = $"{drawn.Description}, batch {drawn.Batch}, {threads} thread(s)";
                var fused = Pass<T>.Of(drawn.Build(), x, dy, inTurn: false);
                // Dropout draws its mask anew each pass; elsewhere the layers one by one, on a second build, give the same bits.
                if (!drawn.HasDropout)
                    fused.ShouldEqual(Pass<T>.Of(drawn.Build(), x, dy, inTurn: true), where + ": the network against its layers in turn");
                if (first is null) first = fused;
                else fused.ShouldEqual(first, where + ": against two threads");
            }
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
        // Every vector width and the scalar loops: the hardware's numeric family gives the bits above, the unfused family
        // (CPUs without an FMA) the same bits at every width as each other. Dropout's masks are drawn afresh each pass.
        if (drawn.HasDropout) return;
        foreach (bool unfused in new[] { false, true })
        {
            var passes = NarrowedWidth.AtEveryWidth(() => Pass<T>.Of(drawn.Build(), x, dy, inTurn: false), unfused);
            var expected = unfused ? passes[0].Result : first!;
            foreach (var (bits, pass) in passes)
                pass.ShouldEqual(expected, $"{drawn.Description}, batch {drawn.Batch}: {bits} bits{(unfused ? ", unfused family" : "")}");
        }
    }

    private static void Predictions<T>(int seed, bool large) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var drawn = new RandomNetwork<T>(seed, large);
        var network = drawn.Build();
        var x = drawn.Input(seed + 100);
        // One training pass first, so that batch normalisation's running statistics are not the initial ones.
        network.Forward(x, training: true);
        string where = $"{drawn.Description}, batch {drawn.Batch}";
        var predicted = network.Predict(x).ToArray();
        var h = x;
        foreach (var layer in network.Layers) h = layer.Forward(h, training: false);
        Bits.Of(predicted).Should().Equal(Bits.Of(h.ToArray()), where + ": Predict against the layers' own inference");

        var samples = x.ToArray();
        int sampleLength = samples.Length / drawn.Batch, outputs = predicted.Length / drawn.Batch;
        for (int i = 0; i < drawn.Batch; i++)
            Bits.Of(network.Predict(samples.AsSpan(i * sampleLength, sampleLength))).Should()
                .Equal(Bits.Of(predicted.AsSpan(i * outputs, outputs).ToArray()), $"{where}: sample {i} alone against its row of the batch");

        var frozen = network.Freeze();
        Bits.Of(frozen.Predict(x).ToArray()).Should().Equal(Bits.Of(predicted), where + ": the frozen copy");

        var concurrent = new T[4][];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => concurrent[i] = (i % 2 == 0 ? network.Predict(x) : frozen.Predict(x)).ToArray());
        foreach (var result in concurrent) Bits.Of(result).Should().Equal(Bits.Of(predicted), where + ": four predictions at once");

        string path = Path.Combine(Path.GetTempPath(), $"random-network-{Environment.ProcessId}-{seed}-{typeof(T).Name}.nnm");
        try
        {
            ModelFile.Save(network, path);
            Bits.Of(ModelFile.Load<T>(path).Predict(x).ToArray()).Should().Equal(Bits.Of(predicted), where + ": saved and loaded");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>What a training pass gives (<see cref="RandomNetwork{T}.TrainingPass"/>): the output, the input gradient and every parameter's gradient.</summary>
    private sealed record Pass<T>(List<T[]> Parts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Pass<T> Of(Sequential<T> network, Tensor<T> x, Tensor<T> dy, bool inTurn) =>
            new(RandomNetwork<T>.TrainingPass(network, x, dy, inTurn));

        public void ShouldEqual(Pass<T> expected, string because)
        {
            Parts.Count.Should().Be(expected.Parts.Count);
            for (int i = 0; i < Parts.Count; i++)
                Bits.Of(Parts[i]).Should().Equal(Bits.Of(expected.Parts[i]), $"{because}, {RandomNetwork<T>.PartName(i)}");
        }
    }
}
