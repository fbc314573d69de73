using System.Numerics;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Files that are a recorded model's <c>state_dict</c> with tensors taken out and others put in (state_dicts.py's
/// PARTIAL), loaded with strict: false: the names reported are torch's <c>missing_keys</c> and <c>unexpected_keys</c> for
/// the same file, the network keeps its own values where the file lacks one, and takes the file's everywhere else.
/// </summary>
public class PyTorchPartialWeightsTests
{
    public static TheoryData<string> PartialFiles() => [.. PyTorchWeightValues.PartialCases.Select(c => c.Name)];

    private static PyTorchPartialCase Case(string name) => PyTorchWeightValues.PartialCases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(PartialFiles))]
    public void LoadParameters_NotStrict_ReportsTorchsKeysAndKeepsTheNetworksOwnValuesForWhatTheFileLacks(string name)
    {
        if (Case(name).Source.EndsWith("f64", StringComparison.Ordinal)) Check<double>(Case(name));
        else Check<float>(Case(name));
    }

    private static void Check<T>(PyTorchPartialCase recorded) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (network, modules) = PyTorchWeightsTests.Twin<T>(recorded.Source);
        var renaming = PyTorchWeightsTests.Renaming(network, modules);
        var (whole, _) = PyTorchWeightsTests.Twin<T>(recorded.Source);
        SafetensorsFile.LoadParameters(whole, PyTorchWeightsTests.FileOf(recorded.Source), renaming);
        var before = Values(network);

        var report = SafetensorsFile.LoadParameters(network, PyTorchWeightsTests.FileOf(recorded.Name), renaming, strict: false);

        report.MissingNames.Should().BeEquivalentTo(recorded.Missing, "torch 1.13 reports these as missing_keys");
        report.UnexpectedNames.Should().BeEquivalentTo(recorded.Unexpected, "torch 1.13 reports these as unexpected_keys");
        var fileNames = renaming?.ToDictionary(pair => pair.Value, pair => pair.Key);
        foreach (var (tensor, values) in Values(network))
        {
            string inFile = fileNames?.GetValueOrDefault(tensor) ?? tensor;
            values.Should().Equal(recorded.Removed.Contains(inFile) ? before[tensor] : Values(whole)[tensor],
                $"{inFile} keeps the network's value when the file lacks it, and takes the file's otherwise");
        }
    }

    /// <summary>Every tensor of the network (parameters and BatchNorm buffers) by its name in the network, as a file would hold its bytes.</summary>
    private static Dictionary<string, byte[]> Values<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        NetworkTensor<T>.Of(network).ToDictionary(t => t.Name, t => t.Bytes());

    [Theory]
    [MemberData(nameof(PartialFiles))]
    public void LoadParameters_StrictPartialFile_RefusedAndNothingChanges(string name)
    {
        var (network, modules) = PyTorchWeightsTests.Twin<double>(Case(name).Source);
        var before = Values(network);

        var act = () => SafetensorsFile.LoadParameters(network, PyTorchWeightsTests.FileOf(name), PyTorchWeightsTests.Renaming(network, modules));

        act.Should().Throw<InvalidDataException>().WithMessage("*holds no tensor for*strict: false*");
        Values(network).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void LoadParameters_NotStrictWithZeroAbsentBiases_ZeroesTheBiasBesideItsWeightAndReportsTheRestMissing()
    {
        // cnn_sequential_f64_partial lacks 4.bias beside 4.weight (a bias=False layer, to zeroAbsentBiases), and 8.weight
        // beside 8.bias, which no option fills.
        var (network, _) = PyTorchWeightsTests.Twin<double>("cnn_sequential_f64");
        network.Parameters.Single(p => p.Name == "4.bias").ValueSpan.Fill(0.5);
        var weightBefore = network.Parameters.Single(p => p.Name == "8.weight").ValueSpan.ToArray();

        var report = SafetensorsFile.LoadParameters(network, PyTorchWeightsTests.FileOf("cnn_sequential_f64_partial"), strict: false, zeroAbsentBiases: true);

        report.MissingNames.Should().Equal("8.weight", "1.running_var");
        network.Parameters.Single(p => p.Name == "4.bias").ValueSpan.ToArray().Should().OnlyContain(b => b == 0);
        network.Parameters.Single(p => p.Name == "8.weight").ValueSpan.ToArray().Should().Equal(weightBefore);
    }

    [Fact]
    public void LoadParameters_StrictWholeFile_ReportsNothingMissingOrUnexpected()
    {
        var (network, _) = PyTorchWeightsTests.Twin<double>("cnn_sequential_f64");

        var report = SafetensorsFile.LoadParameters(network, PyTorchWeightsTests.FileOf("cnn_sequential_f64"));

        report.MissingNames.Should().BeEmpty();
        report.UnexpectedNames.Should().BeEmpty();
    }

    [Fact]
    public void LoadParameters_NotStrictWithATensorOfAnotherShape_RefusedAsTorchRefusesItAndNothingChanges()
    {
        // torch's load_state_dict(strict=False) still raises "size mismatch for 0.weight".
        var network = Network.Sequential<double>([2]).Dense(3).Build(seed: 1);
        var before = Values(network);
        var file = SafetensorsBatchNormTests.File(("0.weight", "F64", [2, 3], SafetensorsBatchNormTests.F64(1, 2, 3, 4, 5, 6)));

        var act = () => SafetensorsFile.LoadParameters(network, file, "'f'", strict: false);

        act.Should().Throw<InvalidDataException>().WithMessage("'f': the tensor '0.weight' is [2, 3], but the parameter '0.weight' is [3, 2].");
        Values(network).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void LoadParameters_NotStrictWithOnlyAMean_KeepsTheLayersVarianceAndCount()
    {
        var network = Network.Sequential<double>([2]).BatchNorm1D().Build(seed: 1);
        var norm = (BatchNorm<double>)network.Layers[0];
        norm.SetRunningStatistics([0.25, 0.5], [2, 3], batchesTracked: 7);
        var file = SafetensorsBatchNormTests.File(("0.running_mean", "F64", [2], SafetensorsBatchNormTests.F64(1, -1)));

        var report = SafetensorsFile.LoadParameters(network, file, "'f'", strict: false);

        report.MissingNames.Should().Equal("0.weight", "0.bias", "0.running_var");
        norm.RunningMean.ToArray().Should().Equal(1, -1);
        norm.RunningVariance.ToArray().Should().Equal(2, 3);
        norm.BatchesTracked.Should().Be(7);
    }
}
