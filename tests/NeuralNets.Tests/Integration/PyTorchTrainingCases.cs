using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using static NeuralNets.Tests.Golden.GoldenInputs;

namespace NeuralNets.Tests.Integration;

/// <summary>What a run's targets are: class indices, 0/1 labels per output, values, or a class index per pixel.</summary>
internal enum TrainingTargets { Classes, Binary, Values, Pixels }

/// <summary>
/// One of tests/PyTorchReference/training_runs.py's networks built in NeuralNets: the same layers, the same weights and
/// the same data, each by the rule the script's docstring gives (repeated here), so that the runs can be compared step by step.
/// </summary>
/// <param name="Name">The run's name in <see cref="PyTorchTrainingValues"/>.</param>
/// <param name="Offset">O, the run's Wave offset.</param>
/// <param name="SampleShape">One sample's shape.</param>
/// <param name="Layers">The layers, in PyTorch's nn.Sequential order.</param>
/// <param name="Loss">A new loss of the run's kind.</param>
/// <param name="Optimizer">The run's optimizer over the given parameters.</param>
/// <param name="Epochs">Passes over the 22 training samples.</param>
/// <param name="Targets">The kind of targets.</param>
/// <param name="TargetShape">The class count (Classes, Binary: outputs per sample), one target's shape (Values), or the class
/// count then the image's height and width (Pixels).</param>
/// <param name="Schedule">The learning rate per epoch, when the run has one.</param>
/// <param name="NesterovMomentum">γ of a <see cref="Nesterov{T}"/> run, whose parameters are w where PyTorch's are θ = w − γv.</param>
/// <param name="IgnoredLabel">The label of the pixels a Pixels run leaves out, or null.</param>
internal sealed record PyTorchTrainingCase(
    string Name, int Offset, int[] SampleShape, Func<ILayer<double>[]> Layers, Func<ILoss<double>> Loss,
    Func<IReadOnlyList<Parameter<double>>, IOptimizer<double>> Optimizer, int Epochs, TrainingTargets Targets, int[] TargetShape,
    ILearningRateSchedule? Schedule = null, double? NesterovMomentum = null, int? IgnoredLabel = null)
{
    /// <summary>Training samples, taken in batches of <see cref="BatchSize"/>: 6, 6, 6 and a last one of 4.</summary>
    public const int Samples = 22;

    /// <summary>Samples per batch.</summary>
    public const int BatchSize = 6;

    /// <summary>Held-out samples, evaluated as one batch in eval mode.</summary>
    public const int HeldOut = 5;

    /// <summary>The eighteen runs, by name.</summary>
    public static readonly IReadOnlyDictionary<string, PyTorchTrainingCase> All = new[]
    {
        new PyTorchTrainingCase("LectureMlp", 0, [4],
            () => [new Dense<double>(4, 6, seed: 0), new Sigmoid<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Sgd<double>(p, 0.5), 4, TrainingTargets.Classes, [3]),
        new PyTorchTrainingCase("ReluTanhMlpAdam", 10000, [6],
            () => [new Dense<double>(6, 10, seed: 0), new ReLU<double>(), new Dense<double>(10, 8, seed: 0), new Tanh<double>(), new Dense<double>(8, 4, seed: 0)],
            () => new CrossEntropy<double>(), p => new Adam<double>(p, 0.02, weightDecay: 0.01), 4, TrainingTargets.Classes, [4],
            Schedule: new StepDecay(0.02, stepSize: 1, gamma: 0.7)),
        new PyTorchTrainingCase("LeNetNesterov", 20000, [1, 8, 8],
            () => [new Conv2D<double>(1, 4, 3, seed: 0, padding: 1), new ReLU<double>(), new MaxPool2D<double>(2),
                new Conv2D<double>(4, 6, 3, seed: 0, padding: 1), new Tanh<double>(), new AvgPool2D<double>(2, padding: 1), new Flatten<double>(),
                new Dense<double>(54, 10, seed: 0), new ReLU<double>(), new Dense<double>(10, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Nesterov<double>(p, 0.05, momentum: 0.9, weightDecay: 0.001), 3, TrainingTargets.Classes, [3],
            NesterovMomentum: 0.9),
        new PyTorchTrainingCase("BatchNormCnnAdamW", 30000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new Tanh<double>(), new BatchNorm2D<double>(4), new ReLU<double>(),
                new Conv2D<double>(4, 4, 3, seed: 0, padding: 1), new ReLU<double>(), new MaxPool2D<double>(2), new Flatten<double>(),
                new Dense<double>(36, 8, seed: 0), new Tanh<double>(), new BatchNorm1D<double>(8), new ReLU<double>(), new Dense<double>(8, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new AdamW<double>(p, 0.01, weightDecay: 0.05), 3, TrainingTargets.Classes, [3]),
        new PyTorchTrainingCase("DecoderMomentum", 40000, [4],
            () => [new Dense<double>(4, 18, seed: 0), new SiLU<double>(), new Unflatten<double>(1, [2, 3, 3]),
                new ConvTranspose2D<double>(2, 3, 3, seed: 0, stride: 2, padding: 1, outputPadding: 1), new GELU<double>(),
                new ConvTranspose2D<double>(3, 1, 3, seed: 0, padding: 1)],
            () => new MeanSquaredError<double>(), p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.PyTorch), 3, TrainingTargets.Values, [1, 6, 6],
            Schedule: new StepDecay(0.05, stepSize: 1, gamma: 0.5)),
        new PyTorchTrainingCase("BceMlpRmsProp", 50000, [5],
            () => [new Dense<double>(5, 8, seed: 0), new ELU<double>(), new Dense<double>(8, 8, seed: 0), new LeakyReLU<double>(0.1),
                new Dense<double>(8, 6, seed: 0), new Softplus<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new BinaryCrossEntropyWithLogits<double>(), p => new RmsProp<double>(p, 0.01, momentum: 0.5), 3, TrainingTargets.Binary, [3]),
        // Without a bias before each BatchNorm (PyTorch's bias=False), as ResNet-style blocks are written.
        new PyTorchTrainingCase("BiasFreeCnnAdam", 60000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1, bias: false), new BatchNorm2D<double>(4), new ReLU<double>(),
                new Conv2D<double>(4, 4, 3, seed: 0, padding: 1, bias: false), new BatchNorm2D<double>(4), new ReLU<double>(), new MaxPool2D<double>(2),
                new Flatten<double>(), new Dense<double>(36, 8, seed: 0, bias: false), new BatchNorm1D<double>(8), new ReLU<double>(),
                new Dense<double>(8, 6, seed: 0, bias: false), new Tanh<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Adam<double>(p, 0.01, weightDecay: 0.01), 3, TrainingTargets.Classes, [3]),
        new PyTorchTrainingCase("BiasFreeDecoder", 70000, [4],
            () => [new Dense<double>(4, 18, seed: 0, bias: false), new BatchNorm1D<double>(18), new SiLU<double>(), new Unflatten<double>(1, [2, 3, 3]),
                new ConvTranspose2D<double>(2, 3, 3, seed: 0, stride: 2, padding: 1, outputPadding: 1, bias: false), new BatchNorm2D<double>(3),
                new GELU<double>(), new ConvTranspose2D<double>(3, 1, 3, seed: 0, padding: 1)],
            () => new MeanSquaredError<double>(), p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.PyTorch), 3,
            TrainingTargets.Values, [1, 6, 6]),
        // PyTorch's MNIST example, scaled down, trained as it trains (dropouts of p = 0: no two libraries draw the same masks).
        new PyTorchTrainingCase("MnistExampleAdadelta", 80000, [1, 12, 12],
            () => [new Conv2D<double>(1, 4, 3, seed: 0), new ReLU<double>(), new Conv2D<double>(4, 8, 3, seed: 0), new ReLU<double>(), new MaxPool2D<double>(2),
                new Dropout<double>(0, seed: 0), new Flatten<double>(), new Dense<double>(128, 16, seed: 0), new ReLU<double>(), new Dropout<double>(0, seed: 0),
                new Dense<double>(16, 10, seed: 0), new LogSoftmax<double>()],
            () => new NegativeLogLikelihood<double>(), p => new Adadelta<double>(p, 1.0), 3, TrainingTargets.Classes, [10],
            Schedule: new StepDecay(1.0, stepSize: 1, gamma: 0.7)),
        new PyTorchTrainingCase("PReluMlpAdam", 80000, [5],
            () => [new Dense<double>(5, 8, seed: 0), new PReLU<double>(8), new Dense<double>(8, 6, seed: 0), new PReLU<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Adam<double>(p, 0.02), 4, TrainingTargets.Classes, [3]),
        new PyTorchTrainingCase("PReluCnnMomentum", 90000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new PReLU<double>(4), new MaxPool2D<double>(2),
                new Conv2D<double>(4, 4, 3, seed: 0, padding: 1), new PReLU<double>(), new Flatten<double>(),
                new Dense<double>(36, 6, seed: 0), new PReLU<double>(6), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.PyTorch), 3,
            TrainingTargets.Classes, [3]),
        // Residual blocks as torchvision's BasicBlock: the ReLU after each block's sum is a layer of the network.
        new PyTorchTrainingCase("TinyResNetMomentum", 100000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1, bias: false), new BatchNorm2D<double>(4), new ReLU<double>(),
                BasicBlock(4, 4, stride: 1), new ReLU<double>(), BasicBlock(4, 6, stride: 2), new ReLU<double>(),
                new GlobalAvgPool2D<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.PyTorch), 3,
            TrainingTargets.Classes, [3]),
        // A per-pixel classifier: logits [N, 3, 6, 6] against labels [N, 6, 6]; then with ignored pixels, weights and smoothing;
        // then as log-probabilities over the channels and the negative log-likelihood.
        new PyTorchTrainingCase("FcnPixelsMomentum", 110000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new ReLU<double>(), new Conv2D<double>(4, 3, 1, seed: 0)],
            () => new CrossEntropy<double>(), p => new Momentum<double>(p, 0.1, momentum: 0.9, convention: MomentumConvention.PyTorch), 3,
            TrainingTargets.Pixels, [3, 6, 6]),
        new PyTorchTrainingCase("FcnIgnoredPixelsAdam", 120000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new ReLU<double>(), new Conv2D<double>(4, 3, 1, seed: 0)],
            () => new CrossEntropy<double>([1.0, 2.0, 0.5], labelSmoothing: 0.1, ignoreIndex: -100), p => new Adam<double>(p, 0.02), 3,
            TrainingTargets.Pixels, [3, 6, 6], IgnoredLabel: -100),
        new PyTorchTrainingCase("FcnLogSoftmaxNllAdam", 130000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new ReLU<double>(), new Conv2D<double>(4, 3, 1, seed: 0), new LogSoftmax<double>()],
            () => new NegativeLogLikelihood<double>([0.5, 1.0, 2.0], ignoreIndex: 255), p => new Adam<double>(p, 0.02), 3,
            TrainingTargets.Pixels, [3, 6, 6], IgnoredLabel: 255),
        new PyTorchTrainingCase("LayerNormMlpAdam", 140000, [5],
            () => [new Dense<double>(5, 8, seed: 0), new LayerNorm<double>(8), new Tanh<double>(), new Dense<double>(8, 6, seed: 0),
                new LayerNorm<double>(6, elementwiseAffine: false), new ReLU<double>(), new Dense<double>(6, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Adam<double>(p, 0.02), 4, TrainingTargets.Classes, [3]),
        new PyTorchTrainingCase("LayerNormCnnMomentum", 150000, [2, 6, 6],
            () => [new Conv2D<double>(2, 4, 3, seed: 0, padding: 1), new LayerNorm<double>([4, 6, 6]), new ReLU<double>(), new MaxPool2D<double>(2),
                new Conv2D<double>(4, 4, 3, seed: 0, padding: 1), new LayerNorm<double>([4, 3, 3]), new Tanh<double>(), new Flatten<double>(),
                new Dense<double>(36, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Momentum<double>(p, 0.05, momentum: 0.9, convention: MomentumConvention.PyTorch), 3,
            TrainingTargets.Classes, [3]),
        // MobileNet's depthwise-separable block (depthwise 3×3, pointwise 1×1), two groups, depthwise with two filters per channel.
        new PyTorchTrainingCase("DepthwiseSeparableAdam", 160000, [4, 6, 6],
            () => [new Conv2D<double>(4, 4, 3, seed: 0, padding: 1, groups: 4), new ReLU<double>(), new Conv2D<double>(4, 8, 1, seed: 0), new ReLU<double>(),
                new Conv2D<double>(8, 8, 3, seed: 0, stride: 2, padding: 1, groups: 2), new Tanh<double>(),
                new Conv2D<double>(8, 16, 3, seed: 0, bias: false, groups: 8), new Flatten<double>(), new Dense<double>(16, 3, seed: 0)],
            () => new SoftmaxCrossEntropy<double>(), p => new Adam<double>(p, 0.01), 3, TrainingTargets.Classes, [3]),
    }.ToDictionary(c => c.Name);

    // conv-bn-relu-conv-bn, plus the input, or a strided 1×1 conv and a BatchNorm of it where the shape changes.
    private static Residual<double> BasicBlock(int inChannels, int channels, int stride) => new(
        new Sequential<double>(new Conv2D<double>(inChannels, channels, 3, seed: 0, stride: stride, padding: 1, bias: false), new BatchNorm2D<double>(channels),
            new ReLU<double>(), new Conv2D<double>(channels, channels, 3, seed: 0, padding: 1, bias: false), new BatchNorm2D<double>(channels)),
        stride == 1 && inChannels == channels ? null
            : new Sequential<double>(new Conv2D<double>(inChannels, channels, 1, seed: 0, stride: stride, bias: false), new BatchNorm2D<double>(channels)));

    /// <summary>
    /// What sets the optimizer's rate at the start of each epoch, as PyTorch's scheduler stepped after each epoch leaves it
    /// (the library's <see cref="LearningRateScheduleExtensions.ApplyTo{T}(ILearningRateSchedule, IOptimizer{T})"/>); null
    /// without a schedule.
    /// </summary>
    public Action<int>? EpochStart(IOptimizer<double> optimizer) => Schedule?.ApplyTo(optimizer);

    /// <summary>
    /// The network with the script's weights. <paramref name="fused"/> false puts every layer in a Sequential of its own, so
    /// that no pair of layers runs as one pass (Sequential fuses neighbours only within one network).
    /// </summary>
    public Sequential<double> Network(bool fused = true)
    {
        var layers = Layers();
        var network = new Sequential<double>(SampleShape, fused ? layers : layers.Select(l => (ILayer<double>)new Sequential<double>(l)).ToArray());
        // The network's parameters are its layers', in order: those of a PReLU are its slopes.
        bool[] slopes = [.. layers.SelectMany(l => l.Parameters.Select(_ => l is PReLU<double>))];
        bool[] layerNorms = [.. layers.SelectMany(l => l.Parameters.Select(_ => l is LayerNorm<double>))];
        for (int k = 0; k < network.Parameters.Count; k++)
        {
            var p = network.Parameters[k];
            int n = p.Length, offset = Offset + 50 * k;
            // Rank ≥ 2 (but a LayerNorm's γ and β, which go as rank 1's): scale 1/√(n / shape[0]); a PReLU's slopes: 0.25 + Wave(…, 0.2);
            // another rank-1 weight (a normalisation's γ): 1 + Wave(…, 0.2); other rank-1 tensors: Wave(…, 0.1).
            double[] values = p.Shape.Count >= 2 && !layerNorms[k] ? Wave(n, offset, 1 / Math.Sqrt((double)n / p.Shape[0]))
                : slopes[k] ? Wave(n, offset, 0.2).Select(v => 0.25 + v).ToArray()
                : p.Name.EndsWith(".weight", StringComparison.Ordinal) ? Wave(n, offset, 0.2).Select(v => 1 + v).ToArray()
                : Wave(n, offset, 0.1);
            p.SetValue(values);
        }
        return network;
    }

    /// <summary>Samples 0…21 of the run's data: the training set.</summary>
    public Dataset<double> Train => Data().Take(Samples);

    /// <summary>Samples 22…26 of the run's data: the held-out batch.</summary>
    public Dataset<double> HeldOutBatch => Data().Subset(Enumerable.Range(Samples, HeldOut).ToArray());

    // 27 samples: features Wave(27·size, O + 700, 1); class labels (7i + ⌊i/3⌋) mod C; 0/1 labels (7i + 3j + ⌊i/3⌋) mod 2;
    // values Wave(27·size, O + 1500, 0.5); pixel labels (7i + 3j + ⌊i/3⌋) mod C, or the ignored label where (i + 2j) mod 7 = 0.
    private Dataset<double> Data()
    {
        const int count = Samples + HeldOut;
        int size = SampleShape.Aggregate(1, (a, b) => a * b);
        var features = TestTensors.Create(Wave(count * size, Offset + 700, 1.0), [count, .. SampleShape]);
        switch (Targets)
        {
            case TrainingTargets.Classes:
                int classes = TargetShape[0];
                int[] labels = Enumerable.Range(0, count).Select(i => (7 * i + i / 3) % classes).ToArray();
                return Dataset<double>.FromLabels(features, labels, classes);
            case TrainingTargets.Binary:
                int outputs = TargetShape[0];
                double[] bits = Enumerable.Range(0, count)
                    .SelectMany(i => Enumerable.Range(0, outputs).Select(j => (double)((7 * i + 3 * j + i / 3) % 2))).ToArray();
                return new Dataset<double>(features, TestTensors.Create(bits, count, outputs));
            case TrainingTargets.Pixels:
                int pixelClasses = TargetShape[0], pixels = TargetShape[1] * TargetShape[2];
                double[] pixelLabels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Range(0, pixels).Select(j =>
                    IgnoredLabel is { } ignored && (i + 2 * j) % 7 == 0 ? ignored : (double)((7 * i + 3 * j + i / 3) % pixelClasses))).ToArray();
                return new Dataset<double>(features, TestTensors.Create(pixelLabels, count, TargetShape[1], TargetShape[2]));
            default:
                int targetSize = TargetShape.Aggregate(1, (a, b) => a * b);
                return new Dataset<double>(features, TestTensors.Create(Wave(count * targetSize, Offset + 1500, 0.5), [count, .. TargetShape]));
        }
    }

    /// <summary>The recorded run.</summary>
    public PyTorchTrainingRun Expected => PyTorchTrainingValues.Runs[Name];
}
