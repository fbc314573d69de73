using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNets.Kernels;

internal static partial class CacheSizes
{
    // GetLogicalProcessorInformationEx's RelationCache, and the cache types of PROCESSOR_CACHE_TYPE.
    private const int RelationCache = 2;
    private const int CacheUnified = 0, CacheData = 2;

    // Where the fields of a SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX record of the cache relation lie: its relation and
    // size, then CACHE_RELATIONSHIP (level, associativity, line size, cache size, type, 18 reserved bytes, the group count)
    // and its GROUP_AFFINITY masks (a pointer-sized processor mask, the group, 6 reserved bytes). Windows before 10 20H2
    // had no group count (reserved, zero) and one mask.
    private const int RecordHeaderBytes = 8, LevelAt = 8, CacheSizeAt = 12, TypeAt = 16, GroupCountAt = 38, GroupMasksAt = 40;

    /// <summary>The caches Windows lists for the processors; the defaults where the call fails.</summary>
    private static unsafe (long? L1Data, long? L2) ReadWindows()
    {
        try
        {
            uint length = 0;
            GetLogicalProcessorInformationEx(RelationCache, null, ref length);
            // A few kilobytes on any machine; a length beyond reason is not trusted.
            if (length is 0 or > 1 << 24) return (null, null);
            var buffer = new byte[length];
            fixed (byte* start = buffer)
                if (!GetLogicalProcessorInformationEx(RelationCache, start, ref length)) return (null, null);
            return WindowsCacheSizes(buffer.AsSpan(0, (int)Math.Min(length, (uint)buffer.Length)), IntPtr.Size);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// The first level-1 data cache and the first level-2 cache among Windows' cache records (<paramref name="maskBytes"/>:
    /// the process's pointer size, the width of a processor mask), each as its share of the processors its masks name.
    /// Records that are cut short or name no processor are skipped.
    /// </summary>
    internal static (int L1Data, long L2) ParseWindowsCaches(ReadOnlySpan<byte> records, int maskBytes)
    {
        var (l1, l2) = WindowsCacheSizes(records, maskBytes);
        return Clamped(l1, l2);
    }

    // The same, each null where no record gave it.
    private static (long? L1Data, long? L2) WindowsCacheSizes(ReadOnlySpan<byte> records, int maskBytes)
    {
        long? l1 = null, l2 = null;
        int groupAffinityBytes = maskBytes + 8;
        while (records.Length >= RecordHeaderBytes)
        {
            int relation = BinaryPrimitives.ReadInt32LittleEndian(records);
            int size = BinaryPrimitives.ReadInt32LittleEndian(records[4..]);
            if (size < RecordHeaderBytes || size > records.Length) break;
            var record = records[..size];
            records = records[size..];
            if (relation != RelationCache || record.Length < GroupMasksAt + maskBytes) continue;
            int level = record[LevelAt];
            long bytes = BinaryPrimitives.ReadUInt32LittleEndian(record[CacheSizeAt..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(record[TypeAt..]);
            int groups = Math.Max((int)BinaryPrimitives.ReadUInt16LittleEndian(record[GroupCountAt..]), 1);
            int sharing = 0;
            for (int g = 0; g < groups && GroupMasksAt + g * groupAffinityBytes + maskBytes <= record.Length; g++)
            {
                var mask = record[(GroupMasksAt + g * groupAffinityBytes)..];
                sharing += maskBytes == 8 ? BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(mask))
                    : BitOperations.PopCount(BinaryPrimitives.ReadUInt32LittleEndian(mask));
            }
            if (bytes == 0 || sharing == 0) continue;
            if (level == 1 && type == CacheData) l1 ??= bytes / sharing;
            else if (level == 2 && type is CacheUnified or CacheData) l2 ??= bytes / sharing;
        }
        return (l1, l2);
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool GetLogicalProcessorInformationEx(int relationship, byte* buffer, ref uint length);
}
