using System.Runtime.InteropServices;

namespace NeuralNets.Kernels;

internal static partial class CacheSizes
{
    /// <summary>The caches macOS reports through <c>sysctl</c>; the defaults where it does not.</summary>
    private static (long? L1Data, long? L2) ReadMacOS()
    {
        try
        {
            return SysctlSizes(SysctlValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// The sizes from <c>sysctl</c> values (<paramref name="value"/>: a name's integer, or null where the system has none). On
    /// Apple silicon the performance cores' (<c>hw.perflevel0.*</c>: the team's compute runs there), their L2 shared by
    /// <c>hw.perflevel0.cpusperl2</c> cores; elsewhere (Intel Macs) <c>hw.l1dcachesize</c> and <c>hw.l2cachesize</c>, whose L2
    /// serves the logical CPUs <c>hw.cacheconfig</c> gives for level 2 (two with Hyper-Threading).
    /// </summary>
    internal static (int L1Data, long L2) FromSysctl(Func<string, long?> value)
    {
        var (l1, l2) = SysctlSizes(value);
        return Clamped(l1, l2);
    }

    // The same, each null where the system has no value.
    private static (long? L1Data, long? L2) SysctlSizes(Func<string, long?> value)
    {
        long? l1 = Positive(value("hw.perflevel0.l1dcachesize")) ?? Positive(value("hw.l1dcachesize"));
        long? l2;
        if (Positive(value("hw.perflevel0.l2cachesize")) is { } clusterL2)
            l2 = clusterL2 / (Positive(value("hw.perflevel0.cpusperl2")) ?? 1);
        else
            l2 = Positive(value("hw.l2cachesize")) / (Positive(value("hw.cacheconfig[2]")) ?? 1);
        return (l1, l2);
    }

    private static long? Positive(long? value) => value > 0 ? value : null;

    // One integer (4 or 8 bytes) by name; "hw.cacheconfig[i]" is element i of that array of 64-bit counts.
    private static unsafe long? SysctlValue(string name)
    {
        int element = 0;
        if (name.EndsWith(']'))
        {
            int open = name.IndexOf('[', StringComparison.Ordinal);
            element = int.Parse(name.AsSpan(open + 1, name.Length - open - 2), System.Globalization.CultureInfo.InvariantCulture);
            name = name[..open];
        }
        long* values = stackalloc long[16];
        nuint length = 16 * sizeof(long);
        if (sysctlbyname(name, values, ref length, null, 0) != 0) return null;
        if (element > 0) return (nuint)(element + 1) * sizeof(long) <= length ? values[element] : null;
        return length switch { 8 => values[0], 4 => *(int*)values, _ => null };
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int sysctlbyname(string name, void* value, ref nuint length, void* newValue, nuint newLength);
}
