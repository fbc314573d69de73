using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>Random and mutated model files: the loaders succeed or throw InvalidDataException, allocate little, and LoadParameters changes nothing when it fails.</summary>
public sealed partial class ModelFileFuzzTests : IDisposable
{
    // Values that sit on the edges the loader checks: zero, negatives, fractions, int.MaxValue and past it, huge.
    private static readonly string[] Numbers =
        ["0", "-1", "1", "2", "3", "5", "18", "0.5", "2.5", "0.99", "-5", "40000", "100000", "65536", "1048577",
         "2147483647", "2147483648", "4294967296", "1e20", "1e400", "-1e400", "1e-300"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Every kind with settings and both with parameters: Conv2D, ReLU, MaxPool2D, Flatten, Dropout, Dense, LeakyReLU.
    private static Sequential<float> Network(int seed) =>
        NeuralNets.Network.Sequential<float>(1, 6, 6).Conv2D(2, 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dropout(0.25).Dense(3).LeakyReLU(0.1).Build(seed);

    private byte[] ValidFile()
    {
        string path = _temp.File("valid.json");
        ModelFile.Save(Network(seed: 7), path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void Load_RandomBytes_ThrowsOnlyInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Gen.Byte.Array[0, 2000], cases: 100, LoadContained);

    [Fact]
    public void Load_MutatedBytes_SucceedsOrThrowsInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Fuzz.Mutations(ValidFile()), cases: 200, LoadContained);

    [Fact]
    public void Load_ChangedNumbers_SucceedsOrThrowsInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(NumberChanges(ValidFile()), cases: 250, LoadContained);

    [Fact]
    public void LoadParameters_MutatedFile_SucceedsOrChangesNothing()
    {
        byte[] valid = ValidFile();
        var target = Network(seed: 8);
        Fuzz.Check(Gen.OneOf(Fuzz.Mutations(valid), NumberChanges(valid)), cases: 200, bytes =>
        {
            string path = Write(bytes);
            var before = Values(target);
            if (Fuzz.Contained(() => ModelFile.LoadParameters(target, path), bytes) is not null) Values(target).Should().Equal(before, "a failed load must leave every parameter as it was");
        });
    }

    private void LoadContained(byte[] bytes)
    {
        string path = Write(bytes);
        Fuzz.Contained(() => ModelFile.Load<float>(path), bytes);
    }

    private string Write(byte[] bytes)
    {
        string path = _temp.File("fuzzed.json");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int[] Values(Sequential<float> network) =>
        network.Parameters.SelectMany(p => p.ValueSpan.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>The valid file with one to three of its JSON numbers (settings, shapes) replaced by edge values.</summary>
    private static Gen<byte[]> NumberChanges(byte[] valid)
    {
        string text = Encoding.UTF8.GetString(valid);
        var numbers = JsonNumber().Matches(text);
        return Gen.Select(Gen.Int[0, numbers.Count - 1], Gen.Int[0, Numbers.Length - 1]).Array[1, 3].Select(changes =>
        {
            var replaced = new Dictionary<int, string>();
            foreach (var (number, value) in changes) replaced[numbers[number].Index] = Numbers[value];
            string changed = JsonNumber().Replace(text, m => replaced.TryGetValue(m.Index, out string? value) ? value : m.Value);
            return Encoding.UTF8.GetBytes(changed);
        });
    }

    // A number in value position (after ':', '[' or ','), so that digits inside base64 strings are left alone.
    [GeneratedRegex(@"(?<=[:\[,]\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
