using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A layer of the user's that describes itself with a NaN or infinite number cannot be saved (JSON has no such numbers,
/// and the loader reads finite settings only): Save says which layer and setting, as it does for every other reason
/// Load could not read the file back, and writes nothing. It once failed inside the JSON writer with its own message.
/// </summary>
public class ModelFileNonFiniteSettingTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void ANonFiniteSetting_IsRefusedByNameAndNothingIsWritten(double gain, string shown)
    {
        LayerRegistry.Register(new GainKind());
        var network = new Sequential<float>([2], new Dense<float>(2, 2, seed: 1), new Sequential<float>([2], new Gain<float>(gain)));
        string path = Path.Combine(Path.GetTempPath(), $"nonfinite-{Guid.NewGuid():N}.json");
        var act = () => ModelFile.Save(network, path);
        act.Should().Throw<ArgumentException>().WithMessage($"*layer 1.0 (NonFiniteTestGain) has the setting 'gain' = {shown}*finite numbers only*");
        File.Exists(path).Should().BeFalse();
    }

    private sealed class Gain<T>(double gain) : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public IReadOnlyList<Parameter<T>> Parameters => [];

        public Tensor<T> Forward(Tensor<T> input, bool training) => input;

        public Tensor<T> Backward(Tensor<T> outputGradient) => outputGradient;

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new("NonFiniteTestGain", new Dictionary<string, double> { ["gain"] = gain });
    }

    // Reads its setting from the description as it is, so nothing on the way checks that it is finite.
    private sealed class GainKind() : LayerKind("NonFiniteTestGain")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => new Gain<T>(settings.Description.Settings["gain"]);
    }
}
