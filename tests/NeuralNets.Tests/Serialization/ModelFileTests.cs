using System.Collections;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnets-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential<double> SmallNetwork(int seed) =>
        Network.Sequential<double>(3).Dense(5).LeakyReLU(0.1).Dense(4).Tanh().Dense(2).Sigmoid().Build(seed);

    [Fact]
    public void SaveThenLoad_SameNetwork_PredictsBitForBit()
    {
        var network = SmallNetwork(seed: 4);
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        var x = TestTensors.Random<double>(9, 6, 3);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.ToString().Should().Be(network.ToString());
    }

    [Fact]
    public void LoadParameters_IntoSameArchitecture_CopiesEveryValue()
    {
        var trained = SmallNetwork(seed: 1);
        var path = Path.Combine(_directory, "weights.json");
        ModelFile.Save(trained, path);
        var fresh = SmallNetwork(seed: 2);
        ModelFile.LoadParameters(fresh, path);
        for (int i = 0; i < fresh.Parameters.Count; i++)
            fresh.Parameters[i].Value.ToArray().Should().Equal(trained.Parameters[i].Value.ToArray());
    }

    [Fact]
    public void Load_OtherElementType_SaysWhichTypeTheFileHolds()
    {
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(SmallNetwork(seed: 0), path);
        var act = () => ModelFile.Load<float>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*Double*Single*");
    }

    [Fact]
    public void Load_NotAModelFile_ThrowsInvalidData()
    {
        var path = Path.Combine(_directory, "junk.json");
        File.WriteAllText(path, "{ \"hello\": 1 ");
        var act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*not a NeuralNets model file*");
    }

    [Fact]
    public void Save_FailsWhileWriting_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(SmallNetwork(seed: 0), path);
        var before = File.ReadAllBytes(path);

        var broken = new Sequential<double>([3], new Dense<double>(3, 2, seed: 0), new LayerThatFailsToDescribe());
        var act = () => ModelFile.Save(broken, path);
        act.Should().Throw<InvalidOperationException>();

        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(_directory).Should().ContainSingle();
    }

    /// <summary>
    /// Its settings throw half-way through serialisation, as a full disk would. It calls itself a ReLU,
    /// which has no settings to check, so that the save gets past its checks and fails while writing.
    /// </summary>
    private sealed class LayerThatFailsToDescribe : ILayer<double>
    {
        public IReadOnlyList<Parameter<double>> Parameters { get; } = [];
        public Tensor<double> Forward(Tensor<double> input, bool training = false) => input;
        public Tensor<double> Backward(Tensor<double> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => new("ReLU", new ExplodingSettings());

        private sealed class ExplodingSettings : IReadOnlyDictionary<string, double>
        {
            public double this[string key] => throw new InvalidOperationException("disk full");
            public IEnumerable<string> Keys => throw new InvalidOperationException("disk full");
            public IEnumerable<double> Values => throw new InvalidOperationException("disk full");
            public int Count => 1;
            public bool ContainsKey(string key) => false;
            public bool TryGetValue(string key, out double value) => throw new InvalidOperationException("disk full");
            public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => throw new InvalidOperationException("disk full");
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
