using FluentAssertions;
using NeuralNets.Kernels;
using Xunit;

namespace NeuralNets.Tests.Kernels;

public class CacheSizesTests
{
    [Fact]
    public void Read_TakesLevelOneDataAndLevelTwo_EachAsItsShareOfTheCpusSharingIt()
    {
        using var tree = new CacheTree();
        tree.Add(0, "1", "Data", "48K", "0-1");
        tree.Add(1, "1", "Instruction", "32K", "0");
        tree.Add(2, "2", "Unified", "1280K", "0");
        tree.Add(3, "3", "Unified", "49152K", "0-1");
        CacheSizes.Read(tree.Path).Should().Be((24 * 1024, 1280L * 1024));
    }

    [Fact]
    public void Read_KeepsTheDefaults_WhereTheSystemSaysNothingOrNonsense()
    {
        var defaults = (CacheSizes.DefaultL1DataBytes, CacheSizes.DefaultL2Bytes);
        CacheSizes.Read(Path.Combine(Path.GetTempPath(), "no-such-cache-" + Guid.NewGuid().ToString("N"))).Should().Be(defaults);
        using var tree = new CacheTree();
        tree.Add(0, "1", "Data", "lots", "0");
        tree.Add(1, "2", "Unified", "1M", "");
        tree.Add(2, "2", "Unified", "1M", "3-1");
        CacheSizes.Read(tree.Path).Should().Be(defaults);
    }

    [Fact]
    public void Read_ClampsSizesToTheirRanges()
    {
        using var tree = new CacheTree();
        tree.Add(0, "1", "Data", "4K", "0");
        tree.Add(1, "2", "Unified", "1G", "0");
        CacheSizes.Read(tree.Path).Should().Be((16 * 1024, 64L * 1024 * 1024));
    }

    [Theory]
    [InlineData("48K", 48 * 1024L)]
    [InlineData("1280K", 1280 * 1024L)]
    [InlineData("2M", 2 * 1024 * 1024L)]
    [InlineData("512", 512L)]
    [InlineData("", null)]
    [InlineData("K", null)]
    [InlineData("-1K", null)]
    [InlineData("1.5M", null)]
    [InlineData("99999999999999G", null)]
    public void ParseSize_ReadsLinuxSizes(string text, long? expected) => CacheSizes.ParseSize(text).Should().Be(expected);

    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1", 2)]
    [InlineData("0-1,4,6-7", 5)]
    [InlineData("", 0)]
    [InlineData("3-1", 0)]
    [InlineData("a", 0)]
    [InlineData("0-1-2", 0)]
    public void CountCpus_CountsCpuLists(string list, int expected) => CacheSizes.CountCpus(list).Should().Be(expected);

    [Fact]
    public void TheProcessSizes_AreThisMachinesOwn()
    {
        CacheSizes.L1DataBytes.Should().BeInRange(16 * 1024, 1024 * 1024);
        CacheSizes.L2Bytes.Should().BeInRange(128 * 1024, 64L * 1024 * 1024);
        CacheSizes.DataTlbReachBytes.Should().Be(CacheSizes.DataTlbEntries * (long)Environment.SystemPageSize);
        if (OperatingSystem.IsLinux() && Directory.Exists("/sys/devices/system/cpu/cpu0/cache"))
            (CacheSizes.L1DataBytes, CacheSizes.L2Bytes).Should().Be(CacheSizes.Read("/sys/devices/system/cpu/cpu0/cache"));
        // The thresholds that are about what fits in a cache follow from it.
        DenseProducts.ResidentWeightBytes.Should().Be(CacheSizes.L1DataBytes);
        GemmProblem<float>.MaxRowSplitBBytes.Should().Be(CacheSizes.L2Bytes / 2);
        GemmPacked.InPlaceBytes.Should().Be(CacheSizes.DataTlbReachBytes);
        GemmPacked.TransposedCopyOfABytes.Should().Be(CacheSizes.L1DataBytes / 3);
    }

    /// <summary>A directory laid out as Linux's /sys/devices/system/cpu/cpu0/cache.</summary>
    private sealed class CacheTree : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cache-tree-").FullName;

        public void Add(int index, string level, string type, string size, string sharedCpus)
        {
            string directory = Directory.CreateDirectory(System.IO.Path.Combine(Path, $"index{index}")).FullName;
            File.WriteAllText(System.IO.Path.Combine(directory, "level"), level + "\n");
            File.WriteAllText(System.IO.Path.Combine(directory, "type"), type + "\n");
            File.WriteAllText(System.IO.Path.Combine(directory, "size"), size + "\n");
            File.WriteAllText(System.IO.Path.Combine(directory, "shared_cpu_list"), sharedCpus + "\n");
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
