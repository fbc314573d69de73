using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Threading;

/// <summary>One trained network shared by many threads: every Predict overload gives what a serial call gives, bit for bit.</summary>
public class ConcurrentInferenceTests
{
    private const int Threads = 8;

    private static Sequential<float> Mlp() =>
        Network.Sequential<float>(2).Dense(64).ReLU().Dense(64).ReLU().Dense(2).Build(seed: 42);

    private static Sequential<float> Cnn() =>
        Network.Sequential<float>(1, 28, 28)
            .Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).Sigmoid().AvgPool2D(2)
            .Flatten().Dropout(0.3).Dense(32).Tanh().Dense(10).Softmax()
            .Build(seed: 7);

    private static float[][] Samples(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    /// <summary>Predicts every input serially, then again from <see cref="Threads"/> threads at once, and compares bit for bit.</summary>
    private static void ConcurrentEqualsSerial<TInput, TOutput>(TInput[] inputs, Func<TInput, TOutput[]> predict)
    {
        var expected = inputs.Select(predict).ToArray();
        var actual = new TOutput[inputs.Length][];
        ManyThreads.Run(Threads, inputs.Length, i => actual[i] = predict(inputs[i]));
        for (int i = 0; i < inputs.Length; i++) actual[i].Should().Equal(expected[i], $"input {i}");
    }

    [Fact]
    public void PredictSample_MlpFromEightThreads_EqualsSerialBitForBit()
    {
        var network = Mlp();
        var xs = Samples(1000, 2, seed: 1);
        ConcurrentEqualsSerial(xs, x => network.Predict(x.AsSpan()));
    }

    [Fact]
    public void PredictIntoSpan_MlpFromEightThreads_EqualsSerialBitForBit()
    {
        var network = Mlp();
        var xs = Samples(1000, 2, seed: 2);
        float[] IntoSpan(float[] x)
        {
            var output = new float[2];
            network.Predict(x, output);
            return output;
        }
        ConcurrentEqualsSerial(xs, IntoSpan);
        IntoSpan(xs[7]).Should().Equal(network.Predict(xs[7].AsSpan()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void PredictBatch_CnnFromEightThreads_EqualsSerialBitForBit(int batch)
    {
        var network = Cnn();
        var batches = Enumerable.Range(0, 48).Select(i => TestTensors.Random<float>(100 + i, batch, 1, 28, 28)).ToArray();
        ConcurrentEqualsSerial(batches, b => network.Predict(b).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void PredictBatch_CeilModePoolsFromEightThreads_EqualsSerialBitForBit(int batch)
    {
        // 27 × 27 images: every pool in ceil mode has partial last windows (the 2×2 one too, on odd sides), and the
        // averages leave padding out of their divisors.
        var network = Network.Sequential<float>(1, 27, 27)
            .Conv2D(6, kernel: 3, padding: 1).ReLU().MaxPool2D(2, ceilMode: true)
            .Conv2D(8, kernel: 3).Sigmoid().AvgPool2D(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
            .AvgPool2D(2, ceilMode: true).MaxPool2D(3, stride: 2, padding: 1, ceilMode: true)
            .Flatten().Dense(10).Build(seed: 8);
        var batches = Enumerable.Range(0, 48).Select(i => TestTensors.Random<float>(300 + i, batch, 1, 27, 27)).ToArray();
        ConcurrentEqualsSerial(batches, b => network.Predict(b).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void PredictBatch_MnistExampleEndingInLogSoftmaxFromEightThreads_EqualsSerialBitForBit(int batch)
    {
        // PyTorch's MNIST example, scaled down: its log-softmax normalises each sample's row in its own inference copy.
        var network = Network.Sequential<float>(1, 12, 12).Conv2D(4, kernel: 3).ReLU().Conv2D(8, kernel: 3).ReLU().MaxPool2D(2).Dropout(0.25)
            .Flatten().Dense(16).ReLU().Dropout(0.5).Dense(10).LogSoftmax().Build(seed: 5);
        var batches = Enumerable.Range(0, 48).Select(i => TestTensors.Random<float>(300 + i, batch, 1, 12, 12)).ToArray();
        ConcurrentEqualsSerial(batches, b => network.Predict(b).ToArray());
    }

    [Fact]
    public void PredictBatch_LargeMlpBatchesThatSplitAcrossHelpers_EqualsSerialBitForBit()
    {
        // 256 × 784 inputs: every product and activation is long enough to be split across the helper threads.
        var network = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 3);
        var batches = Enumerable.Range(0, 16).Select(i => TestTensors.Random<float>(200 + i, 256, 784)).ToArray();
        ConcurrentEqualsSerial(batches, b => network.Predict(b).ToArray());
    }

    [Fact]
    public void Predict_AfterTraining_SeesTheNewWeightsAndMatchesForward()
    {
        var network = Mlp();
        var x = new float[] { 0.3f, -0.7f };
        network.Predict(x.AsSpan()); // makes an inference copy before the weights change
        foreach (var p in network.Parameters) TensorPrimitives.Multiply(p.ValueSpan, 1.5f, p.ValueSpan);
        var forward = network.Forward(TestTensors.Create(x, 1, 2), training: false).ToArray();
        network.Predict(x.AsSpan()).Should().Equal(forward);
    }

    [Fact]
    public void Predict_NestedSequentialFromEightThreads_EqualsSerialBitForBit()
    {
        var inner = new Sequential<double>([4], new Dense<double>(4, 8, seed: 1), new Tanh<double>());
        var network = new Sequential<double>([4], inner, new Dense<double>(8, 3, seed: 2));
        var xs = Enumerable.Range(0, 400).Select(i => Samples(1, 4, seed: i)[0].Select(v => (double)v).ToArray()).ToArray();
        ConcurrentEqualsSerial(xs, x => network.Predict(x.AsSpan()));
    }

    [Fact]
    public void Predict_LayerWithoutInferenceCopy_TakesTurnsAndStaysExact()
    {
        var network = new Sequential<float>([2], new Dense<float>(2, 16, seed: 1), new SlowSquare(), new Dense<float>(16, 2, seed: 2));
        var xs = Samples(300, 2, seed: 5);
        ConcurrentEqualsSerial(xs, x => network.Predict(x.AsSpan()));
    }

    [Fact]
    public void Predict_BetweenATrainingForwardAndItsBackward_WithALayerWithoutCopies_ThrowsAndLeavesThePass()
    {
        var scale = new Scale();
        var network = new Sequential<float>([1], scale);
        network.Forward(TestTensors.Create(new float[] { 2f }, 1, 1), training: true);
        var act = () => network.Predict(new float[] { 100f }.AsSpan());
        act.Should().Throw<InvalidOperationException>().WithMessage("*no inference copy*");
        network.Backward(TestTensors.Create(new float[] { 1f }, 1, 1));
        scale.Weight.GradientSpan[0].Should().Be(2f, "dL/dw = x of the training pass, not of the refused Predict");
        network.Predict(new float[] { 100f }.AsSpan()).Should().Equal(300f);
    }

    [Fact]
    public void Predict_WhileAnotherThreadRunsTrainingPasses_WithALayerWithoutCopies_IsNeverWrong()
    {
        var scale = new Scale();
        var network = new Sequential<float>([1], scale);
        int wrong = 0, answered = 0;
        using var stop = new CancellationTokenSource();
        var trainer = new Thread(() =>
        {
            var x = TestTensors.Create(new float[] { 5f }, 1, 1);
            var g = TestTensors.Create(new float[] { 1f }, 1, 1);
            while (!stop.IsCancellationRequested)
            {
                network.Forward(x, training: true);
                network.Backward(g);
            }
        });
        trainer.Start();
        try
        {
            for (int i = 0; i < 20_000; i++)
            {
                try
                {
                    if (network.Predict(new float[] { 1f }.AsSpan())[0] != 3f) Interlocked.Increment(ref wrong);
                    else answered++;
                }
                catch (InvalidOperationException)
                {
                    // refused while a training pass was open: allowed; a wrong answer is not
                }
            }
        }
        finally
        {
            stop.Cancel();
            trainer.Join();
        }
        wrong.Should().Be(0);
        answered.Should().BeGreaterThan(0, "Predict answers between passes");
    }

    [Fact]
    public void Forward_FromTwoThreadsAtOnce_SecondThrowsNamingPredict()
    {
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var network = new Sequential<float>([2], new Blocking(inside, release));
        var first = new Thread(() => network.Forward(TestTensors.Create(new float[2], 1, 2), training: true));
        first.Start();
        inside.Wait(TestContext.Current.CancellationToken);
        try
        {
            var act = () => network.Forward(TestTensors.Create(new float[2], 1, 2), training: true);
            act.Should().Throw<InvalidOperationException>().WithMessage("*two threads*Predict*");
            var backward = () => network.Backward(TestTensors.Create(new float[2], 1, 2));
            backward.Should().Throw<InvalidOperationException>();
        }
        finally
        {
            release.Set();
            first.Join();
        }
        network.Forward(TestTensors.Create(new float[2], 1, 2), training: true).Lengths.ToArray().Should().Equal(1, 2);
    }

    [Fact]
    public void Predict_WhileAnOptimizerStepRuns_Throws()
    {
        var network = Mlp();
        network.BeginTrainingStep();
        var act = () => network.Predict(new float[] { 1, 2 }.AsSpan());
        act.Should().Throw<InvalidOperationException>().WithMessage("*optimizer step*");
        network.EndTrainingStep();
        network.Predict(new float[] { 1, 2 }.AsSpan()).Should().HaveCount(2);
    }

    [Fact]
    public void Predict_WhenAStepStartsAndEndsDuringTheCall_Throws()
    {
        Sequential<float>? network = null;
        var stepDuringForward = new CallbackLayer(() =>
        {
            network!.BeginTrainingStep();
            network.EndTrainingStep();
        });
        network = new Sequential<float>([2], new Dense<float>(2, 2, seed: 1), stepDuringForward);
        var act = () => network.Predict(new float[] { 1, 2 }.AsSpan());
        act.Should().Throw<InvalidOperationException>().WithMessage("*overlapped an optimizer step*");
    }

    [Fact]
    public void Predict_FromAnotherThreadDuringAFitStep_ThrowsAndBetweenStepsAnswers()
    {
        var network = Mlp();
        var data = new NeuralNets.Data.Dataset<float>(TestTensors.Random<float>(1, 32, 2), TestTensors.Random<float>(2, 32, 2));
        var sgd = new Sgd<float>(network.Parameters, 0.1);
        var duringStep = new List<Exception?>();
        var optimizer = new PredictingDuringStep(sgd, () =>
        {
            Exception? caught = null;
            var other = new Thread(() =>
            {
                try { network.Predict(new float[] { 0.5f, 0.5f }.AsSpan()); }
                catch (Exception e) { caught = e; }
            });
            other.Start();
            other.Join();
            duringStep.Add(caught);
        });
        var trainer = new NeuralNets.Training.Trainer<float>(network, new MeanSquaredError<float>(), optimizer);
        var betweenSteps = new List<float[]>();
        trainer.Fit(data, new NeuralNets.Training.TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 1 },
            progress: new NeuralNets.Training.SynchronousProgress<NeuralNets.Training.EpochReport>(_ => betweenSteps.Add(network.Predict(new float[] { 0.5f, 0.5f }.AsSpan()))), cancellationToken: TestContext.Current.CancellationToken);
        duringStep.Should().HaveCount(4).And.AllSatisfy(e => e.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("optimizer step"));
        betweenSteps.Should().HaveCount(2, "a progress report comes between steps, where Predict answers");
        network.Predict(new float[] { 0.5f, 0.5f }.AsSpan()).Should().Equal(betweenSteps[1]);
    }

    [Fact]
    public void PredictIntoSpan_WrongLengths_NameWhatWasExpected()
    {
        var network = Mlp();
        var shortOutput = () => network.Predict(new float[] { 1, 2 }, new float[3]);
        shortOutput.Should().Throw<ArgumentException>().WithMessage("*3 values*has 2*");
        var wrongSample = () => network.Predict(new float[] { 1, 2, 3 }, new float[2]);
        wrongSample.Should().Throw<ShapeMismatchException>();
    }

    /// <summary>y = w·x with w = 3, one feature, caching its input for Backward; no inference copy of its own.</summary>
    private sealed class Scale : ILayer<float>
    {
        private Tensor<float>? _input;
        private readonly float[] _output = new float[1];
        public Scale()
        {
            Weight = new Parameter<float>("weight", 1);
            Weight.ValueSpan[0] = 3f;
        }

        public Parameter<float> Weight { get; }
        public IReadOnlyList<Parameter<float>> Parameters => [Weight];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            _input = input;
            _output[0] = Weight.ValueSpan[0] * input.ToArray()[0];
            return TestTensors.Create(_output, 1, 1);
        }

        public Tensor<float> Backward(Tensor<float> outputGradient)
        {
            Weight.GradientSpan[0] += outputGradient.ToArray()[0] * _input!.ToArray()[0];
            return outputGradient;
        }

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => LayerDescription.Of("Scale");
    }

    /// <summary>y = x² with a sleep, and no inference copy of its own.</summary>
    private sealed class SlowSquare : ILayer<float>
    {
        private float[] _output = [];
        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var x = input.ToArray();
            _output = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                if (i == 0) Thread.SpinWait(200);
                _output[i] = x[i] * x[i];
            }
            return TestTensors.Create(_output, (int)input.Lengths[0], (int)input.Lengths[1]);
        }

        public Tensor<float> Backward(Tensor<float> outputGradient) => throw new NotSupportedException();
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => LayerDescription.Of("SlowSquare");
    }

    /// <summary>An identity layer whose Forward waits until the test releases it.</summary>
    private sealed class Blocking(ManualResetEventSlim inside, ManualResetEventSlim release) : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            inside.Set();
            release.Wait();
            return input;
        }

        public Tensor<float> Backward(Tensor<float> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => LayerDescription.Of("Blocking");
    }

    /// <summary>Runs an optimizer's step, and in its middle (after the gradient, before the update) a callback.</summary>
    private sealed class PredictingDuringStep(IOptimizer<float> inner, Action callback) : IOptimizer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => inner.Parameters;

        public double LearningRate { get => inner.LearningRate; set => inner.LearningRate = value; }

        public float Step(Func<float> evaluate) => inner.Step(() =>
        {
            float loss = evaluate();
            callback();
            return loss;
        });
    }

    /// <summary>An identity layer that runs a callback in every Forward (its inference copy is itself).</summary>
    private sealed class CallbackLayer(Action callback) : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            callback();
            return input;
        }

        public Tensor<float> Backward(Tensor<float> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => LayerDescription.Of("Callback");
        public ILayer<float> CreateInferenceCopy() => this;
    }
}
