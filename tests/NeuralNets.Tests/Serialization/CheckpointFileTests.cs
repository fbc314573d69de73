using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;
using static NeuralNets.Tests.Serialization.CheckpointRuns;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>Checkpoint files as written, and as a later version, a crash or a hostile hand leaves them: each bad one fails cleanly and changes nothing.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private const string Run = "dropout, adam, per-epoch schedule";  // layers: 0 Dense, 1 ReLU, 2 Dropout, 3 Dense, 4 ReLU, 5 Dropout, 6 Dense
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Saved(string name = "run.ckpt.json")
    {
        var run = Named(Run);
        var objects = run.Build();
        Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 2 });
        string path = _temp.File(name);
        objects.Trainer.SaveCheckpoint(path);
        return path;
    }

    /// <summary>Resumes into fresh objects; returns what was thrown, and checks that a failed resume changed nothing.</summary>
    private static Exception? Resume(string path, Func<TrainingOptions, TrainingOptions>? options = null)
    {
        var run = Named(Run);
        var fresh = run.Build();
        var weights = Weights(fresh.Network);
        var state = fresh.Optimizer.ExportState();
        try
        {
            Fit(fresh.Trainer, (options ?? (o => o))(run.Options(fresh.Optimizer)), resumeFrom: path);
            return null;
        }
        catch (Exception e)
        {
            Weights(fresh.Network).Should().BeEquivalentTo(weights, o => o.WithStrictOrdering(), "a failed resume leaves the weights as they were");
            fresh.Optimizer.ExportState().Parameters.Select(p => p.Step).Should().Equal(state.Parameters.Select(p => p.Step));
            return e;
        }
    }

    [Fact]
    public void SaveCheckpoint_WritesTheFormatAndElementTypeAndLeavesNoTemporary()
    {
        string path = Saved();
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        root["Format"]!.GetValue<string>().Should().Be("neuralnets-checkpoint/2").And.Be(Checkpoint.Format);
        root["ElementType"]!.GetValue<string>().Should().Be("Single");
        root["Progress"]!["Epoch"]!.GetValue<int>().Should().Be(2);
        root["Optimizer"]!["Kind"]!.GetValue<string>().Should().Be("Adam");
        root["RandomStreams"]!.AsArray().Select(s => s!["Layer"]!.GetValue<string>()).Should().Equal("2", "5");
        root["History"]!.AsArray().Should().HaveCount(2);
        Directory.GetFiles(_temp.Path).Should().ContainSingle();
    }

    [Fact]
    public void SaveCheckpoint_UnderAnotherCulture_WritesTheSameNumbersAndResumes()
    {
        var culture = CultureInfo.CurrentCulture;
        // Wall times differ from run to run; every other byte is the same.
        static string WithoutTimes(string path) => Regex.Replace(File.ReadAllText(path), "\"ElapsedTicks\": \\d+", "");
        string invariant = WithoutTimes(Saved("invariant.json"));
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            WithoutTimes(Saved("german.json")).Should().Be(invariant);
            Resume(_temp.File("german.json")).Should().BeNull();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Resume_ANewerFormat_NamesBothVersions()
    {
        string path = Saved();
        Edit(path, root => root["Format"] = "neuralnets-checkpoint/3");

        Resume(path).Should().BeOfType<InvalidDataException>().Which.Message.Should()
            .Contain("'neuralnets-checkpoint/3'").And.Contain("reads 'neuralnets-checkpoint/1' and 'neuralnets-checkpoint/2'").And.Contain(path);
    }

    [Fact]
    public void Resume_AModelFile_SaysItIsNotACheckpoint()
    {
        var run = Named(Run);
        string path = _temp.File("model.json");
        ModelFile.Save(run.Build().Network, path);

        Resume(path).Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("is a model file").And.Contain("not a checkpoint");
    }

    [Fact]
    public void Resume_TruncatedFile_ThrowsInvalidData()
    {
        string path = Saved();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Resume(path).Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("is not a NeuralNets checkpoint");
    }

    private static JsonObject OptimizerParameter(JsonObject root, int index) => root["Optimizer"]!["Parameters"]![index]!.AsObject();

    private static readonly Dictionary<string, Action<JsonObject>> JsonEdits = new()
    {
        ["epoch -1"] = root => root["Progress"]!["Epoch"] = -1,
        ["epoch 3"] = root => root["Progress"]!["Epoch"] = 3,
        ["step 1e20"] = root => root["Progress"]!["Step"] = 1e20,
        ["step off"] = root => root["Progress"]!["Step"] = 11,
        ["shuffle text"] = root => root["Progress"]!["Shuffle"] = "yes",
        ["history renumbered"] = root => root["History"]![1]!["Epoch"] = 5,
        ["loss text"] = root => root["History"]![0]!["TrainLoss"] = "low",
        ["metric twice"] = root => root["History"]![0]!["Metrics"] = new JsonArray(Metric(), Metric()),
        ["position -3"] = root => root["RandomStreams"]![0]!["Position"] = -3,
        ["stream moved"] = root => root["RandomStreams"]![0]!["Layer"] = "1",
        ["stream missing"] = root => root["RandomStreams"]!.AsArray().RemoveAt(1),
        ["buffer short"] = root => OptimizerParameter(root, 0)["Buffers"]!["exp_avg"] = "AAAAAAAAAAA=",
        ["buffer @@@"] = root => OptimizerParameter(root, 0)["Buffers"]!["exp_avg"] = "@@@",
        ["state shape huge"] = root => OptimizerParameter(root, 0)["Shape"] = new JsonArray(10000, 10000),
        ["state shape too large"] = root => OptimizerParameter(root, 0)["Shape"] = new JsonArray(100000, 100000),
        ["optimizer kind"] = root => root["Optimizer"]!["Kind"] = "Sgd",
        ["buffer renamed"] = root => OptimizerParameter(root, 0)["Buffers"]!.AsObject()["velocity"] = OptimizerParameter(root, 0)["Buffers"]!["exp_avg"]!.DeepClone(),
        ["element type"] = root => root["ElementType"] = "Double",
        ["model weights short"] = root => Parameter(root["Model"]!.AsObject(), 0)["Data"] = "AAAAAAAAAAA=",
        ["dropout p"] = root => Settings(root["Model"]!.AsObject(), 2)["p"] = 0.5,
        ["model missing"] = root => root.Remove("Model"),
    };

    private static JsonObject Metric() => new() { ["Name"] = "accuracy", ["Value"] = 0.5, ["HigherIsBetter"] = true };

    [Theory]
    [InlineData("epoch -1", "*Progress: 'Epoch' must be a non-negative 32-bit integer, was -1*")]
    [InlineData("epoch 3", "*'History' holds 2 epochs but 'Progress.Epoch' is 3*")]
    [InlineData("step 1e20", "*Progress: 'Step' must be a non-negative integer, was 1E+20*")]
    [InlineData("step off", "*took 12 steps but 'Progress.Step' is 11*")]
    [InlineData("shuffle text", "*Progress: 'Shuffle' must be true or false, was \"yes\"*")]
    [InlineData("history renumbered", "*epoch 1 of 'History' is numbered 5, expected 2*")]
    [InlineData("loss text", "*epoch 0: 'TrainLoss' must be a number, was \"low\"*")]
    [InlineData("metric twice", "*'Metrics': Two metrics are named 'accuracy'*")]
    [InlineData("position -3", "*random stream 0: 'Position' must be a non-negative integer, was -3*")]
    [InlineData("stream moved", "*random stream 0 is for layer '1', but the network's random layer 0 is layer '2'*")]
    [InlineData("stream missing", "*'RandomStreams' holds 1 entries, but the network has 2 layers that draw random numbers (2, 5)*")]
    [InlineData("buffer short", "*parameter '0.weight': 'Buffers.exp_avg' holds 8 bytes, expected 256 (32 doubles)*")]
    [InlineData("buffer @@@", "*parameter '0.weight': 'Buffers.exp_avg' is not valid base64*")]
    [InlineData("state shape huge", "*parameter '0.weight': 'Buffers.exp_avg' holds 256 bytes, expected 800000000 (100000000 doubles)*")]
    [InlineData("state shape too large", "*parameter '0.weight' has the shape [100000, 100000], more values than an array can hold*")]
    [InlineData("optimizer kind", "*the optimizer state does not fit Adam*snapshot is of Sgd*")]
    [InlineData("buffer renamed", "*the optimizer state does not fit*'velocity'*")]
    [InlineData("element type", "*the model holds Single but the checkpoint says Double*")]
    [InlineData("model weights short", "*parameter '0.weight' holds 8 bytes, expected 128*")]
    [InlineData("dropout p", "*layer 2 is Dropout(p=0.5, *) in the checkpoint but Dropout(p=0.3, *) in this network*")]
    [InlineData("model missing", "*lacks the field 'Model'*")]
    public void Resume_MalformedField_ThrowsInvalidDataNamingTheFieldAndChangesNothing(string edit, string message)
    {
        string path = Saved();
        Edit(path, JsonEdits[edit]);

        var error = Resume(path);

        error.Should().BeOfType<InvalidDataException>();
        error!.Message.Should().Match(message).And.Contain(path);
    }

    [Fact]
    public void LoadNetwork_StateClaimingAHugeShape_FailsBeforeAllocatingIt()
    {
        string path = Saved();
        Edit(path, root => OptimizerParameter(root, 0)["Shape"] = new JsonArray(10000, 10000));

        var (bytes, error) = Allocation.Measure(() => Checkpoint.LoadNetwork<float>(path));

        error.Should().BeOfType<InvalidDataException>();
        bytes.Should().BeLessThan(Allocation.Bound(new FileInfo(path).Length), "800 MB of claimed state must not be allocated");
    }

    [Fact]
    public void Resume_OtherOptions_ThrowsArgumentNamingTheOptionAndChangesNothing()
    {
        string path = Saved();

        Resume(path, o => o with { BatchSize = 8 }).Should().BeOfType<ArgumentException>().Which.Message.Should().Contain("batches of 16").And.Contain("gives 8");
        Resume(path, o => o with { Seed = 1 }).Should().BeOfType<ArgumentException>().Which.Message.Should().Contain("Seed = 7").And.Contain("Seed = 1");
        Resume(path, o => o with { Epochs = 1 }).Should().BeOfType<ArgumentException>().Which.Message.Should().Contain("finished 2 epochs");
    }

    [Fact]
    public void Resume_AnotherOptimizerKind_ThrowsInvalidData()
    {
        string path = Saved();
        var run = Named(Run);
        var network = run.Network();
        var trainer = new Trainer<float>(network, new NeuralNets.Losses.SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));

        var act = () => Fit(trainer, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 7 }, resumeFrom: path);

        act.Should().Throw<InvalidDataException>().WithMessage("*snapshot is of Adam, but this optimizer is Sgd*");
    }

    [Fact]
    public void Resume_ADoubleTrainerFromAFloatCheckpoint_ThrowsInvalidData()
    {
        string path = Saved();
        var network = NeuralNets.Network.Sequential<double>(2).Dense(3).Build(seed: 1);
        var trainer = new Trainer<double>(network, new NeuralNets.Losses.SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        var data = NeuralNets.Data.SyntheticData.GaussianBlobs<double>(pointsPerClass: 30, seed: 4);

        var act = () => trainer.Fit(data, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 7 }, resumeFrom: path, cancellationToken: TestContext.Current.CancellationToken);

        act.Should().Throw<InvalidDataException>().WithMessage("*checkpoint of a Single run, not Double*");
    }

    [Fact]
    public void Resume_MissingFile_ThrowsFileNotFound()
    {
        Resume(_temp.File("absent.json")).Should().BeOfType<FileNotFoundException>();
    }

    [Fact]
    public void SaveCheckpoint_BeforeAnyFitOrWithinAnEpoch_Throws()
    {
        var run = Named(Run);
        var fresh = run.Build();
        var act = () => fresh.Trainer.SaveCheckpoint(_temp.File("early.json"));
        act.Should().Throw<InvalidOperationException>().WithMessage("*end of an epoch*");

        using var cancel = new CancellationTokenSource();
        var options = run.Options(fresh.Optimizer);
        var cancelled = () => fresh.Trainer.Fit(Train, options, callbacks: [new CancelAfterBatches(cancel, 3)], cancellationToken: cancel.Token);
        cancelled.Should().Throw<OperationCanceledException>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*within an epoch*");
        File.Exists(_temp.File("early.json")).Should().BeFalse();
    }

    private sealed class CancelAfterBatches(CancellationTokenSource source, int batches) : NeuralNets.Training.Callbacks.ITrainingCallback<float>
    {
        private int _seen;

        public void OnBatchEnd(NeuralNets.Training.Callbacks.TrainingContext<float> context, in BatchReport report)
        {
            if (++_seen == batches) source.Cancel();
        }
    }

    [Fact]
    public void SaveCheckpoint_OptimizerWithoutState_FailsSayingTheStateCannotBeExported()
    {
        var run = Named("sgd");
        var network = run.Network();
        var trainer = new Trainer<float>(network, new NeuralNets.Losses.SoftmaxCrossEntropy<float>(), new NeuralNets.Tests.Optimizers.OptimizerStateTests.StatelessSgd<float>(network.Parameters));
        Fit(trainer, new TrainingOptions { Epochs = 1, BatchSize = 90 });

        var act = () => trainer.SaveCheckpoint(_temp.File("lbfgs.json"));

        act.Should().Throw<NotSupportedException>().WithMessage("A checkpoint holds the optimizer's state, but*cannot export it*");
        Directory.GetFiles(_temp.Path).Should().BeEmpty();
    }

    [Fact]
    public void LoadNetwork_GivesTheCheckpointedWeightsAndDropoutPositions()
    {
        var run = Named(Run);
        var objects = run.Build();
        Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 2 });
        string path = _temp.File("net.json");
        objects.Trainer.SaveCheckpoint(path);

        var loaded = Checkpoint.LoadNetwork<float>(path);

        Weights(loaded).Should().BeEquivalentTo(Weights(objects.Network), o => o.WithStrictOrdering());
        loaded.Layers.OfType<NeuralNets.Layers.Dropout<float>>().Select(d => d.RandomPosition)
            .Should().Equal(objects.Network.Layers.OfType<NeuralNets.Layers.Dropout<float>>().Select(d => d.RandomPosition)).And.OnlyContain(p => p == 12);
    }

    [Fact]
    public void LoadNetwork_MutatedBytes_SucceedsOrThrowsInvalidDataWithBoundedAllocation()
    {
        var valid = File.ReadAllBytes(Saved());
        string path = _temp.File("fuzzed.json");
        Fuzz.Check(Fuzz.Mutations(valid), cases: 150, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            Fuzz.Contained(() => Checkpoint.LoadNetwork<float>(path), bytes);
        });
    }

    [Fact]
    public void LoadNetwork_RandomBytes_ThrowsOnlyInvalidDataWithBoundedAllocation()
    {
        string path = _temp.File("random.json");
        Fuzz.Check(Gen.Byte.Array[0, 2000], cases: 100, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            Fuzz.Contained(() => Checkpoint.LoadNetwork<float>(path), bytes);
        });
    }
}
