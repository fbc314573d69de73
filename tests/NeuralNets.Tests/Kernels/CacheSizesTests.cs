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
        {
            (CacheSizes.L1DataBytes, CacheSizes.L2Bytes).Should().Be(CacheSizes.Read("/sys/devices/system/cpu/cpu0/cache"));
            CacheSizes.Source.Should().Be("sysfs");
        }
        // The thresholds that are about what fits in a cache follow from it.
        DenseProducts.ResidentWeightBytes.Should().Be(CacheSizes.L1DataBytes);
        GemmProblem<float>.MaxRowSplitBBytes.Should().Be(CacheSizes.L2Bytes / 2);
        GemmPacked.InPlaceBytes.Should().Be(CacheSizes.DataTlbReachBytes);
        GemmPacked.TransposedCopyOfABytes.Should().Be(CacheSizes.L1DataBytes / 3);
    }

    [Fact]
    public void ParseWindowsCaches_TakesTheFirstLevelOneDataAndLevelTwo_EachAsItsShareOfItsProcessors()
    {
        var records = new WindowsRecords(maskBytes: 8);
        records.AddOther(relation: 0);                                      // RelationProcessorCore: skipped
        records.AddCache(level: 1, type: 1, bytes: 32 * 1024, masks: [0b11]); // instruction: skipped
        records.AddCache(level: 1, type: 2, bytes: 48 * 1024, masks: [0b11]); // data, two SMT siblings
        records.AddCache(level: 1, type: 2, bytes: 48 * 1024, masks: [0b1100]);
        records.AddCache(level: 2, type: 0, bytes: 1280 * 1024, masks: [0b11]);
        records.AddCache(level: 3, type: 0, bytes: 48 * 1024 * 1024, masks: [0xFF]);
        CacheSizes.ParseWindowsCaches(records.Bytes, 8).Should().Be((24 * 1024, 640L * 1024));
    }

    [Fact]
    public void ParseWindowsCaches_ReadsOlderWindows_ThirtyTwoBitMasks_AndMasksInSeveralGroups()
    {
        // Before Windows 10 20H2 the group count was reserved (zero): one mask.
        var older = new WindowsRecords(maskBytes: 8);
        older.AddCache(level: 1, type: 2, bytes: 32 * 1024, masks: [0b1], groupCount: 0);
        older.AddCache(level: 2, type: 0, bytes: 2048 * 1024, masks: [0b1], groupCount: 0);
        CacheSizes.ParseWindowsCaches(older.Bytes, 8).Should().Be((32 * 1024, 2048L * 1024));
        // A 32-bit process: 4-byte masks.
        var narrow = new WindowsRecords(maskBytes: 4);
        narrow.AddCache(level: 1, type: 2, bytes: 64 * 1024, masks: [0b11]);
        narrow.AddCache(level: 2, type: 2, bytes: 512 * 1024, masks: [0b1]);
        CacheSizes.ParseWindowsCaches(narrow.Bytes, 4).Should().Be((32 * 1024, 512L * 1024));
        // A cache shared across two processor groups: the processors of both count.
        var grouped = new WindowsRecords(maskBytes: 8);
        grouped.AddCache(level: 2, type: 0, bytes: 8192 * 1024, masks: [0b11, 0b11]);
        CacheSizes.ParseWindowsCaches(grouped.Bytes, 8).Should().Be((CacheSizes.DefaultL1DataBytes, 2048L * 1024));
    }

    [Fact]
    public void ParseWindowsCaches_KeepsTheDefaults_ForEmptyCutShortOrProcessorlessRecords()
    {
        var defaults = (CacheSizes.DefaultL1DataBytes, CacheSizes.DefaultL2Bytes);
        CacheSizes.ParseWindowsCaches([], 8).Should().Be(defaults);
        var records = new WindowsRecords(maskBytes: 8);
        records.AddCache(level: 1, type: 2, bytes: 48 * 1024, masks: [0]);       // names no processor
        records.AddCache(level: 2, type: 0, bytes: 0, masks: [0b1]);             // no size
        CacheSizes.ParseWindowsCaches(records.Bytes, 8).Should().Be(defaults);
        // A record whose size runs past the buffer ends the walk; one too short for a mask is skipped.
        var cut = new WindowsRecords(maskBytes: 8);
        cut.AddCache(level: 1, type: 2, bytes: 48 * 1024, masks: [0b1]);
        CacheSizes.ParseWindowsCaches(cut.Bytes[..^4], 8).Should().Be(defaults);
        var tooShort = cut.Bytes.ToArray();
        BitConverter.GetBytes(40).CopyTo(tooShort, 4);
        CacheSizes.ParseWindowsCaches(tooShort.AsSpan(0, 40), 8).Should().Be(defaults);
    }

    [Fact]
    public void FromSysctl_TakesThePerformanceCoresOnAppleSilicon_AndTheSmtShareOnIntelMacs()
    {
        var appleSilicon = new Dictionary<string, long>
        {
            ["hw.perflevel0.l1dcachesize"] = 128 * 1024, ["hw.perflevel0.l2cachesize"] = 16L * 1024 * 1024, ["hw.perflevel0.cpusperl2"] = 4,
            ["hw.l1dcachesize"] = 64 * 1024, ["hw.l2cachesize"] = 4L * 1024 * 1024,
        };
        CacheSizes.FromSysctl(name => appleSilicon.TryGetValue(name, out long v) ? v : null).Should().Be((128 * 1024, 4L * 1024 * 1024));
        var intelMac = new Dictionary<string, long> { ["hw.l1dcachesize"] = 32 * 1024, ["hw.l2cachesize"] = 1024 * 1024, ["hw.cacheconfig[2]"] = 2 };
        CacheSizes.FromSysctl(name => intelMac.TryGetValue(name, out long v) ? v : null).Should().Be((32 * 1024, 512L * 1024));
        CacheSizes.FromSysctl(_ => null).Should().Be((CacheSizes.DefaultL1DataBytes, CacheSizes.DefaultL2Bytes));
        CacheSizes.FromSysctl(_ => -1).Should().Be((CacheSizes.DefaultL1DataBytes, CacheSizes.DefaultL2Bytes));
    }

    /// <summary>Windows' SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX records, written field by field as its headers lay them out.</summary>
    private sealed class WindowsRecords(int maskBytes)
    {
        private readonly List<byte> _bytes = [];

        public ReadOnlySpan<byte> Bytes => _bytes.ToArray();

        public void AddOther(int relation)
        {
            var record = new byte[48];
            BitConverter.GetBytes(relation).CopyTo(record, 0);
            BitConverter.GetBytes(record.Length).CopyTo(record, 4);
            _bytes.AddRange(record);
        }

        public void AddCache(int level, int type, uint bytes, ulong[] masks, int? groupCount = null)
        {
            int affinityBytes = maskBytes + 8;
            var record = new byte[40 + masks.Length * affinityBytes];
            BitConverter.GetBytes(2).CopyTo(record, 0);                 // RelationCache
            BitConverter.GetBytes(record.Length).CopyTo(record, 4);
            record[8] = (byte)level;
            record[9] = 8;                                              // associativity
            BitConverter.GetBytes((ushort)64).CopyTo(record, 10);       // line size
            BitConverter.GetBytes(bytes).CopyTo(record, 12);
            BitConverter.GetBytes(type).CopyTo(record, 16);
            BitConverter.GetBytes((ushort)(groupCount ?? masks.Length)).CopyTo(record, 38);
            for (int g = 0; g < masks.Length; g++)
            {
                int at = 40 + g * affinityBytes;
                if (maskBytes == 8) BitConverter.GetBytes(masks[g]).CopyTo(record, at);
                else BitConverter.GetBytes((uint)masks[g]).CopyTo(record, at);
                BitConverter.GetBytes((ushort)g).CopyTo(record, at + maskBytes);
            }
            _bytes.AddRange(record);
        }
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
