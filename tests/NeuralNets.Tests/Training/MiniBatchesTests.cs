using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

public class MiniBatchesTests
{
    // Sample i has features [i, 10·i] and label i % 3, so a batch shows which samples it holds.
    private static Dataset<double> Numbered(int count)
    {
        var features = new double[count * 2];
        for (int i = 0; i < count; i++) (features[2 * i], features[2 * i + 1]) = (i, 10 * i);
        return Dataset<double>.FromLabels(TestTensors.Create(features, count, 2), Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);
    }

    private static List<int[]> Epoch(MiniBatches<double> batches) =>
        batches.NextEpoch().Select(b => b.SampleIndices.ToArray()).ToList();

    [Fact]
    public void NextEpoch_NoShuffle_GivesTheDatasetOrderAndAShortLastBatch()
    {
        var batches = new MiniBatches<double>(Numbered(10), batchSize: 4, shuffle: false);

        var seen = new List<(int[] Indices, double[] Features, double[] Targets)>();
        foreach (var batch in batches.NextEpoch()) seen.Add((batch.SampleIndices.ToArray(), batch.Features.ToArray(), batch.Targets.ToArray()));

        batches.BatchesPerEpoch.Should().Be(3);
        seen.Select(s => s.Indices).Should().BeEquivalentTo(new[] { new[] { 0, 1, 2, 3 }, [4, 5, 6, 7], [8, 9] }, o => o.WithStrictOrdering());
        seen[2].Features.Should().Equal(8, 80, 9, 90);
        seen[2].Targets.Should().Equal(2, 0);
    }

    [Fact]
    public void NextEpoch_Shuffled_LargeBatchesGatheredAcrossTheTeam_HoldTheirSamplesRows()
    {
        // 35 features a sample: the team's ranges (cut on multiples of 16 values) start inside rows; 150 samples a batch are
        // 5,250 values, enough to split; the last batch of 50 is not.
        const int count = 200, size = 35;
        var features = new float[count * size];
        for (int i = 0; i < features.Length; i++) features[i] = i;
        var labels = Enumerable.Range(0, count).Select(i => i % 7).ToArray();
        var batches = new MiniBatches<float>(Dataset<float>.FromLabels(TestTensors.Create(features, count, size), labels, 7), batchSize: 150, seed: 4);

        for (int epoch = 0; epoch < 2; epoch++)
            foreach (var batch in batches.NextEpoch())
            {
                var indices = batch.SampleIndices.ToArray();
                batch.Features.ToArray().Should().Equal(indices.SelectMany(i => Enumerable.Range(i * size, size).Select(v => (float)v)));
                batch.Targets.ToArray().Should().Equal(indices.Select(i => (float)(i % 7)));
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void GatherRows_AnyCutIntoRanges_SameRowsAsCopyingThemOneByOne(int parts)
    {
        // 35 features a sample: ranges (cut on multiples of 16 values) start and end inside rows.
        const int count = 40, size = 35;
        var features = new float[count * size];
        for (int i = 0; i < features.Length; i++) features[i] = i;
        var data = Dataset<float>.FromLabels(TestTensors.Create(features, count, size), Enumerable.Range(0, count).Select(i => i % 7).ToArray(), 7);
        int[] order = [.. Enumerable.Range(0, count).Select(i => i * 17 % count)];
        var gathered = TestTensors.Create(new float[23 * size], 23, size);
        var gatheredTargets = TestTensors.Create(new float[23], 23);
        var expected = new float[23 * size];
        var expectedTargets = new float[23];

        data.GatherRows(order, 5, 23, gathered, gatheredTargets, parts);
        data.CopyRows(order.AsSpan(5, 23), expected, expectedTargets);

        gathered.ToArray().Should().Equal(expected);
        gatheredTargets.ToArray().Should().Equal(expectedTargets);
    }

    [Fact]
    public void NextEpoch_DropLast_LeavesOutTheShortBatch()
    {
        var batches = new MiniBatches<double>(Numbered(10), batchSize: 4, shuffle: false, dropLast: true);

        Epoch(batches).Should().HaveCount(2).And.OnlyContain(b => b.Length == 4);
        batches.BatchesPerEpoch.Should().Be(2);
    }

    [Fact]
    public void NextEpoch_Shuffled_EveryEpochIsAPermutationOfItsOwn()
    {
        var batches = new MiniBatches<double>(Numbered(11), batchSize: 5, shuffle: true, seed: 9);
        var orders = new List<int[]>();

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var drawn = new List<int>();
            foreach (var batch in batches.NextEpoch())
            {
                drawn.AddRange(batch.SampleIndices.ToArray());
                batch.Features.ToArray().Should().Equal(batch.SampleIndices.ToArray().SelectMany(i => new double[] { i, 10 * i }));
            }
            drawn.Should().BeEquivalentTo(Enumerable.Range(0, 11), $"epoch {epoch + 1} holds every sample once");
            orders.Add([.. drawn]);
        }
        orders[1].Should().NotEqual(orders[0]);
        orders[2].Should().NotEqual(orders[1]);
    }

    [Fact]
    public void NextEpoch_Shuffled_EachPositionIsUniformOverTheSamples()
    {
        // 4 samples, 2 400 epochs: sample s lands first in about 600 of them (σ ≈ 21); 100 is almost 5σ.
        var batches = new MiniBatches<double>(Numbered(4), batchSize: 4, shuffle: true, seed: 3);
        var first = new int[4];
        for (int epoch = 0; epoch < 2400; epoch++)
            foreach (var batch in batches.NextEpoch()) first[batch.SampleIndices.Span[0]]++;

        first.Should().OnlyContain(count => Math.Abs(count - 600) < 100, string.Join(", ", first));
    }

    [Fact]
    public void StartAfter_GivesTheOrderOfTheNextEpochOfAnUninterruptedIterator()
    {
        var data = Numbered(23);
        var running = new MiniBatches<double>(data, 5, seed: 8);
        for (int epoch = 0; epoch < 3; epoch++) Epoch(running);
        var resumed = new MiniBatches<double>(data, 5, seed: 8);

        resumed.StartAfter(3);

        resumed.EpochsStarted.Should().Be(3);
        Epoch(resumed).Should().BeEquivalentTo(Epoch(running), o => o.WithStrictOrdering());
    }

    [Fact]
    public void NextEpoch_SameSeed_SameBatches_OtherSeed_OtherBatches()
    {
        var data = Numbered(50);
        var first = new MiniBatches<double>(data, 8, seed: 4);
        var second = new MiniBatches<double>(data, 8, seed: 4);
        var other = new MiniBatches<double>(data, 8, seed: 5);

        var a = Epoch(first).SelectMany(b => b).ToArray();
        Epoch(second).SelectMany(b => b).Should().Equal(a);
        Epoch(other).SelectMany(b => b).Should().NotEqual(a);
    }

    [Fact]
    public void NextEpoch_AfterTheFirstEpoch_AllocatesNothingPerBatch()
    {
        var batches = new MiniBatches<double>(Numbered(100), batchSize: 7, seed: 1);
        void RunEpoch()
        {
            foreach (var batch in batches.NextEpoch()) _ = batch.Count;
        }
        RunEpoch();

        ThreadAllocation.LeastOf(RunEpoch).Should().Be(0);
    }

    [Fact]
    public void Enumerate_AnEpochAfterTheNextStarted_Throws()
    {
        var batches = new MiniBatches<double>(Numbered(10), batchSize: 4);
        var stale = batches.NextEpoch();
        batches.NextEpoch();

        var act = () => { foreach (var _ in stale) { } };

        act.Should().Throw<InvalidOperationException>().WithMessage("Epoch 1's batches*after epoch 2 started*");
    }

    [Fact]
    public void Constructor_DropLastWithBatchAboveCount_ThrowsNamingBoth()
    {
        var act = () => new MiniBatches<double>(Numbered(10), batchSize: 16, dropLast: true);

        act.Should().Throw<ArgumentException>().WithMessage("A batch size of 16 with dropLast leaves no batch of the 10 samples*");
    }

    [Fact]
    public void Fit_IsAHandLoopOverMiniBatches_BitForBit()
    {
        var data = SyntheticData.TwoSpirals<double>(pointsPerClass: 40, seed: 2);
        var fitted = Network.Sequential<double>(2).Dense(8).Tanh().Dense(2).Build(seed: 3);
        var byHand = Network.Sequential<double>(2).Dense(8).Tanh().Dense(2).Build(seed: 3);
        new Trainer<double>(fitted, new SoftmaxCrossEntropy<double>(), new Sgd<double>(fitted.Parameters, 0.1))
            .Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 6 }, cancellationToken: TestContext.Current.CancellationToken);

        var loss = new SoftmaxCrossEntropy<double>();
        var sgd = new Sgd<double>(byHand.Parameters, 0.1);
        var batches = new MiniBatches<double>(data, 16, shuffle: true, seed: 6);
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in batches.NextEpoch())
                sgd.Step(() =>
                {
                    byHand.ZeroGradients();
                    double value = loss.Forward(byHand.Forward(batch.Features, training: true), batch.Targets);
                    byHand.Backward(loss.Backward());
                    return value;
                });

        for (int i = 0; i < fitted.Parameters.Count; i++)
            fitted.Parameters[i].ValueSpan.ToArray().Should().Equal(byHand.Parameters[i].ValueSpan.ToArray());
    }
}
