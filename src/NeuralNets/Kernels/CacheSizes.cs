using System.Globalization;

namespace NeuralNets.Kernels;

/// <summary>
/// The data caches one thread of the team can count on, as the operating system reports them, for the thresholds that
/// are about what fits in a cache (a weight that stays in L1, a weight every core reads whole, an operand worth copying),
/// and the reach of the first-level data TLB, from the page size. None of them changes a result, only which cut of the
/// work runs: the cuts that shape sums (k-blocks, k-pieces) never read them.
/// </summary>
/// <remarks>
/// Linux (and Android) describe each cache of CPU 0 in <c>/sys/devices/system/cpu/cpu0/cache/index*</c>: its level, type,
/// size and the CPUs sharing it; Windows lists its caches with <c>GetLogicalProcessorInformationEx</c>
/// (CacheSizes.Windows.cs), macOS through <c>sysctl</c> (CacheSizes.MacOS.cs: the performance cores' on Apple silicon).
/// A cache shared by several CPUs (SMT siblings, a cluster) counts as its share per CPU, since every one of them may run a
/// thread of the team. Elsewhere (WebAssembly), or where the system says nothing usable, the defaults stand: 32 KB of L1
/// and 1 MB of L2, what current x86 and ARM server cores have at least.
/// </remarks>
internal static partial class CacheSizes
{
    /// <summary>L1 data cache assumed where the system does not say: 32 KB.</summary>
    public const int DefaultL1DataBytes = 32 * 1024;

    /// <summary>L2 cache assumed where the system does not say: 1 MB.</summary>
    public const long DefaultL2Bytes = 1024 * 1024;

    /// <summary>Entries of the first-level data TLB assumed: 64, as on current x86 and ARM cores.</summary>
    public const int DataTlbEntries = 64;

    private const string LinuxCacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    // A field initializer, not a static constructor, so that the class stays beforefieldinit and hot paths reading the
    // sizes carry no initialisation check.
    private static readonly (int L1Data, long L2, string Source) Found = ReadSystem();

    /// <summary>Where the sizes came from: "sysfs", "Windows" or "sysctl" where the system gave both, "… (in part)", or "defaults".</summary>
    public static string Source => Found.Source;

    private static (int L1Data, long L2, string Source) ReadSystem()
    {
        ((long? L1, long? L2) sizes, string system) =
            OperatingSystem.IsWindows() ? (ReadWindows(), "Windows")
            : OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() ? (ReadMacOS(), "sysctl")
            : (ReadSizes(LinuxCacheDirectory), "sysfs");
        var (l1, l2) = Clamped(sizes.L1, sizes.L2);
        string source = sizes.L1 is not null && sizes.L2 is not null ? system
            : sizes.L1 is not null || sizes.L2 is not null ? system + " (in part)" : "defaults";
        return (l1, l2, source);
    }

    /// <summary>L1 data cache per thread of the team, in bytes (16 KB to 1 MB).</summary>
    public static int L1DataBytes => Found.L1Data;

    /// <summary>L2 cache per thread of the team, in bytes (128 KB to 64 MB).</summary>
    public static long L2Bytes => Found.L2;

    /// <summary>Bytes the first-level data TLB maps: <see cref="DataTlbEntries"/> pages of the system's size (256 KB with 4 KB pages, 1 MB with 16 KB ones).</summary>
    public static long DataTlbReachBytes { get; } = (long)DataTlbEntries * HardwarePageBytes;

    // The system's page (4 KB on x86, 16 KB on Apple silicon, 4 or 64 KB on ARM Linux), which each TLB entry maps; in
    // WebAssembly the runtime reports the 64 KB of linear memory's pages, which the host's hardware does not map as one.
    private static int HardwarePageBytes =>
        OperatingSystem.IsBrowser() || OperatingSystem.IsWasi() ? 4096 : Math.Clamp(Environment.SystemPageSize, 4096, 64 * 1024);

    /// <summary>The sizes described under <paramref name="directory"/> (Linux's layout), each clamped to its range, or the defaults where it does not say.</summary>
    internal static (int L1Data, long L2) Read(string directory)
    {
        var (l1, l2) = ReadSizes(directory);
        return Clamped(l1, l2);
    }

    // The level-1 data and level-2 sizes per CPU under a Linux-style directory, each null where it does not say.
    private static (long? L1Data, long? L2) ReadSizes(string directory)
    {
        long? l1 = null, l2 = null;
        try
        {
            if (Directory.Exists(directory))
            {
                foreach (var index in Directory.EnumerateDirectories(directory, "index*"))
                {
                    string? level = ReadLine(index, "level"), type = ReadLine(index, "type");
                    long? size = ParseSize(ReadLine(index, "size"));
                    int sharing = CountCpus(ReadLine(index, "shared_cpu_list"));
                    if (size is not { } bytes || sharing < 1) continue;
                    if (level == "1" && type == "Data") l1 = bytes / sharing;
                    else if (level == "2" && type is "Unified" or "Data") l2 = bytes / sharing;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or PlatformNotSupportedException)
        {
            // A sandbox that hides the files: the defaults.
        }
        return (l1, l2);
    }

    /// <summary>The sizes found, each clamped to its range (L1 16 KB to 1 MB, L2 128 KB to 64 MB), or its default where none was.</summary>
    internal static (int L1Data, long L2) Clamped(long? l1, long? l2) =>
        ((int)Math.Clamp(l1 ?? DefaultL1DataBytes, 16 * 1024, 1024 * 1024), Math.Clamp(l2 ?? DefaultL2Bytes, 128 * 1024, 64L * 1024 * 1024));

    /// <summary>Linux's cache size text ("48K", "1280K", "2M"), in bytes; null if it is not one.</summary>
    internal static long? ParseSize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1024, 'M' => 1024 * 1024, 'G' => 1024 * 1024 * 1024, _ => 1 };
        string digits = unit == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 && value <= (1L << 40) / unit
            ? value * unit : null;
    }

    /// <summary>How many CPUs a list such as "0-1,4,6-7" names; 0 if it is not one.</summary>
    internal static int CountCpus(string? list)
    {
        if (string.IsNullOrEmpty(list)) return 0;
        int count = 0;
        foreach (var range in list.Split(','))
        {
            var ends = range.Split('-');
            if (ends.Length > 2 || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)) return 0;
            int last = first;
            if (ends.Length == 2 && (!int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)) return 0;
            count += last - first + 1;
        }
        return count;
    }

    private static string? ReadLine(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
