using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Whether rows read in place, a fixed number of bytes apart, crowd the sets of the first-level data cache. Such a cache
/// picks a line's set from the address bits below the 4 KB page (64 sets of 64-byte lines on every current x86 and
/// ARM64 core with 4 KB pages); rows a whole kilobyte apart, or a few bytes short of a page, land on a few sets again and
/// again, and a block of B read in place through them evicts itself before the next row of tiles reads it (a 1024-wide
/// layer's weight gradient at batch 64 ran 21 % slower read in place than packed; benchmarks/README.md, "Rows that crowd
/// the cache's sets"). Packed panels are contiguous and spread over every set.
/// </summary>
internal static class CacheSets
{
    /// <summary>The bytes whose lines fall on distinct sets: one 4 KB page.</summary>
    public const int SpanBytes = 4096;

    /// <summary>A cache line.</summary>
    public const int LineBytes = 64;

    /// <summary>Lines one set holds (its ways) on the smallest first-level caches of current cores: eight.</summary>
    public const int Ways = 8;

    private const int Sets = SpanBytes / LineBytes;

    // The last few answers (rows of a dense layer's input are read by the same shapes step after step). A slot holds
    // (key << 1 | answer) + 1, 0 when empty; a torn read on a 32-bit runtime only recomputes, or at worst picks the other
    // way of reading B, which gives the same sums.
    private static readonly long[] s_answers = new long[16];

    /// <summary>
    /// Whether reading <paramref name="rows"/> rows of <paramref name="widthBytes"/> each, <paramref name="rowBytes"/> apart,
    /// puts more than <paramref name="ways"/> of their lines on one set (fewer than the cache has, where other streams
    /// share the sets at the same time).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static bool Crowded(long rowBytes, int rows, int widthBytes, int ways = Ways)
    {
        if (rows <= ways || widthBytes <= 0) return false;
        long step = rowBytes % SpanBytes;
        // A few rows cost less to count than to look up; other limits than the cache's are counted each time.
        if (rows <= 2 * Ways || ways != Ways || rows > 1 << 12 || widthBytes > 1 << 20) return Count(step, rows, widthBytes, ways);
        long key = step | (long)rows << 12 | (long)widthBytes << 24;
        int slot = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 60);
        long held = Volatile.Read(ref s_answers[slot]) - 1;
        if (held >= 0 && held >> 1 == key) return (held & 1) != 0;
        bool crowded = Count(step, rows, widthBytes, ways);
        Volatile.Write(ref s_answers[slot], (key << 1 | (crowded ? 1L : 0L)) + 1);
        return crowded;
    }

    [SkipLocalsInit]
    private static bool Count(long step, int rows, int widthBytes, int ways)
    {
        Span<int> lines = stackalloc int[Sets];
        lines.Clear();
        // A row wider than the span covers every set once per span it covers, and a part of one more.
        int whole = widthBytes / SpanBytes, rest = widthBytes % SpanBytes;
        for (int r = 0; r < rows; r++)
        {
            long start = r * step % SpanBytes;
            if (rest == 0)
            {
                if (whole * (r + 1) > ways) return true;
                continue;
            }
            for (long line = start / LineBytes, last = (start + rest - 1) / LineBytes; line <= last; line++)
                if (++lines[(int)(line % Sets)] + whole * (r + 1) > ways) return true;
        }
        return false;
    }
}
