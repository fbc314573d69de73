using NeuralNets.Data;
using NeuralNets.Optimizers;
using NeuralNets.Tests.Golden;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// Whole training runs against Python PyTorch's, step by step, in double (tests/PyTorchReference/training_runs.py,
/// PyTorchTrainingValues.cs): eighteen networks (an MLP with SGD; one with Adam, L2 decay and a per-epoch StepLR; a LeNet-like
/// CNN with Nesterov SGD; a CNN with BatchNorm2d and BatchNorm1d under AdamW; a transposed-convolution decoder with
/// momentum SGD, a per-epoch StepLR and MSE; an MLP with BCE-with-logits and RMSprop; the bias-free CNN and decoder; PReLU
/// in an MLP with Adam and a CNN with momentum SGD; PyTorch's MNIST example scaled down, with log-softmax, the negative
/// log-likelihood, Adadelta and a per-epoch StepLR; a tiny ResNet of two residual blocks, one with a projection shortcut,
/// with momentum SGD; a tiny fully-convolutional per-pixel classifier, its labels [N, H, W] batched by Fit as any targets, with
/// CrossEntropy, with ignored pixels, class weights and label smoothing, and as LogSoftmax over the channels and the
/// negative log-likelihood; LayerNorm over features in an MLP with Adam and over [C, H, W] in a CNN with momentum
/// SGD; a depthwise-separable CNN with grouped convolutions and Adam) trained over the same batches, each
/// run both by a hand-written loop and by <see cref="Trainer{T}.Fit"/> with shuffling off, whose batches are then the
/// dataset's in order (6, 6, 6 and the last 4), as the script takes them. Every loss, parameter digest, held-out loss,
/// held-out output and running statistic must be PyTorch's to 1e-10 relative; they are within 5e-14 (the BatchNorm run;
/// the PReLU MLP within 1e-14, the others within 2e-15 to 1e-14), so the rounding of 12 to 16 steps needs no wider tolerance.
/// </summary>
/// <remarks>
/// <see cref="Optimizers.Nesterov{T}"/> holds w where PyTorch holds θ = w − γv (<see cref="TrainingObservation"/> compares
/// θ). The momentum run under a schedule takes <see cref="Optimizers.MomentumConvention.PyTorch"/>; the lecture's
/// convention, v = η·b, parts from PyTorch at a change of rate
/// (<see cref="HandLoop_LectureMomentumAcrossARateChange_KeepsTheVelocityNotPyTorchsBuffer"/> pins the difference).
/// </remarks>
public class PyTorchTrainingTests
{
    public static TheoryData<string> Runs => new(PyTorchTrainingCase.All.Keys);

    [Theory]
    [MemberData(nameof(Runs))]
    public void HandLoop_PyTorchsBatches_MatchesEveryRecordedValue(string name)
    {
        var run = PyTorchTrainingCase.All[name];
        ShouldMatchPyTorch(HandLoop(run, fused: true), run.Expected);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Fit_NoShuffle_MatchesEveryRecordedValue(string name)
    {
        var run = PyTorchTrainingCase.All[name];
        var network = run.Network();
        var optimizer = run.Optimizer(network.Parameters);
        var observation = new TrainingObservation(run, network);
        var options = new TrainingOptions
        {
            Epochs = run.Epochs, BatchSize = PyTorchTrainingCase.BatchSize, Shuffle = false, OnEpochStart = run.EpochStart(optimizer),
        };
        var history = new Trainer<double>(network, run.Loss(), optimizer)
            .Fit(run.Train, options, validation: run.HeldOutBatch, cancellationToken: TestContext.Current.CancellationToken, metrics: [], callbacks: [new Observer(observation)]);
        observation.Finish();

        ShouldMatchPyTorch(observation, run.Expected);
        // Fit's own validation pass is the held-out batch in eval mode: PyTorch's loss, except where our weights are
        // Nesterov's w rather than PyTorch's θ (the observation evaluates θ).
        if (run.NesterovMomentum is null)
            history.Epochs.Select(e => e.ValidationLoss!.Value).ToArray().ShouldMatchPyTorch(run.Expected.HeldOutLosses, "Fit's validation loss");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void HandLoop_NoLayersFused_SameBitsAsFusedPairs(string name)
    {
        // Sequential runs some neighbours as one pass (an activation and a pool, a Dense's backward with the activation
        // before it, a BatchNorm and a ReLU, a Flatten into a Dense); each layer in a network of its own runs alone.
        var run = PyTorchTrainingCase.All[name];
        var fused = HandLoop(run, fused: true);
        var apart = HandLoop(run, fused: false);
        Bits(apart.Losses).Should().Equal(Bits(fused.Losses), "the losses");
        Bits(apart.Digests).Should().Equal(Bits(fused.Digests), "the digests");
        Bits(apart.HeldOutLosses).Should().Equal(Bits(fused.HeldOutLosses), "the held-out losses");
        Bits(apart.HeldOutOutput).Should().Equal(Bits(fused.HeldOutOutput), "the held-out output");
        Bits(apart.RunningStatistics).Should().Equal(Bits(fused.RunningStatistics), "the running statistics");
    }

    [Fact]
    public void HandLoop_LectureMomentumAcrossARateChange_KeepsTheVelocityNotPyTorchsBuffer()
    {
        // The lecture's convention (Momentum's remarks): v = η·b carries the old rate into the steps after a change, where
        // PyTorch's b does not. The first epoch is PyTorch's; the first step at the new rate already parts from it, by
        // γ·(η_old − η_new)·b, far beyond rounding. MomentumConvention.PyTorch (the recorded run's) does not part.
        var run = PyTorchTrainingCase.All["DecoderMomentum"];
        var expected = run.Expected;
        var lecture = HandLoop(run, fused: true, p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.Lecture));
        int perStep = expected.Digests.Length / expected.Losses.Length, epochSteps = expected.Losses.Length / run.Epochs;

        lecture.Digests.Take(epochSteps * perStep).ToArray().ShouldMatchPyTorch(expected.Digests[..(epochSteps * perStep)], "the first epoch's digests");
        lecture.Losses.Take(epochSteps + 1).ToArray().ShouldMatchPyTorch(expected.Losses[..(epochSteps + 1)], "the losses up to the first step at the new rate");
        double[] afterChange = lecture.Digests.Skip(epochSteps * perStep).Take(perStep).ToArray();
        double[] pyTorchAfterChange = expected.Digests[(epochSteps * perStep)..((epochSteps + 1) * perStep)];
        afterChange.Zip(pyTorchAfterChange, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b))).Max()
            .Should().BeGreaterThan(1e-6, "the step after the rate change moves by γ·η_old·b + η_new·g, PyTorch's by γ·η_new·b + η_new·g");
    }

    // Each epoch: the schedule's rate, then the batches in order, one step each (zero, forward in training mode, loss,
    // backward, step), then the held-out batch in eval mode; as the script's loop.
    private static TrainingObservation HandLoop(PyTorchTrainingCase run, bool fused, Func<IReadOnlyList<Parameter<double>>, IOptimizer<double>>? optimizerOverride = null)
    {
        var network = run.Network(fused);
        var loss = run.Loss();
        var optimizer = (optimizerOverride ?? run.Optimizer)(network.Parameters);
        var epochStart = run.EpochStart(optimizer);
        var observation = new TrainingObservation(run, network);
        var train = run.Train;
        var batches = new List<Dataset<double>>();
        for (int start = 0; start < train.Count; start += PyTorchTrainingCase.BatchSize)
            batches.Add(train.Subset(Enumerable.Range(start, Math.Min(PyTorchTrainingCase.BatchSize, train.Count - start)).ToArray()));
        for (int epoch = 1; epoch <= run.Epochs; epoch++)
        {
            epochStart?.Invoke(epoch);
            foreach (var batch in batches)
            {
                observation.AfterStep(optimizer.Step(() =>
                {
                    network.ZeroGradients();
                    double value = loss.Forward(network.Forward(batch.Features, training: true), batch.Targets);
                    network.Backward(loss.Backward());
                    return value;
                }));
            }
            observation.AfterEpoch();
        }
        observation.Finish();
        return observation;
    }

    private static void ShouldMatchPyTorch(TrainingObservation observed, PyTorchTrainingRun expected)
    {
        observed.Losses.ToArray().ShouldMatchPyTorch(expected.Losses, "the step losses");
        observed.Digests.ToArray().ShouldMatchPyTorch(expected.Digests, "the parameter digests after each step");
        observed.HeldOutLosses.ToArray().ShouldMatchPyTorch(expected.HeldOutLosses, "the held-out losses after each epoch");
        observed.HeldOutOutput.ShouldMatchPyTorch(expected.HeldOutOutput, "the held-out output in eval mode");
        observed.RunningStatistics.ToArray().ShouldMatchPyTorch(expected.RunningStatistics, "the running means and variances");
        observed.BatchesTracked.Should().Equal(expected.BatchesTracked, "num_batches_tracked");
    }

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Hands Fit's steps and epochs to the observation.</summary>
    private sealed class Observer(TrainingObservation observation) : ITrainingCallback<double>
    {
        public void OnBatchEnd(TrainingContext<double> context, in BatchReport report) => observation.AfterStep(report.Loss);

        public void OnEpochEnd(TrainingContext<double> context, EpochReport report) => observation.AfterEpoch();
    }
}
