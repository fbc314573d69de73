using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralNets.Kernels;

/// <summary>
/// A record of the team's jobs while switched on (the benchmarks' <c>timeline</c> mode): each job on its caller, and each
/// part on the thread that ran it, with stopwatch times, so that a training step can be read job by job (how long each
/// ran, how long each core worked in it, and the time between jobs when only the calling thread works). Off, it costs one
/// read of a flag per job and per part.
/// </summary>
internal static class TeamTimeline
{
    /// <summary>The part number recorded for a job as a whole, on its caller.</summary>
    public const int WholeJob = -1;

    private const int Capacity = 1 << 18;

    // Made by the first Start, so that a process that never records holds none of it (7 MB) and has no type initializer
    // to run on the team's first job.
    private static Type?[]? s_kinds;
    private static int[]? s_parts;
    private static long[]? s_starts, s_ends;
    private static int s_count;
    private static volatile bool s_recording;

    /// <summary>Whether jobs are being recorded.</summary>
    public static bool Recording => s_recording;

    /// <summary>Forgets what was recorded and starts recording.</summary>
    public static void Start()
    {
        if (s_kinds is null)
        {
            s_kinds = new Type?[Capacity];
            s_parts = new int[Capacity];
            s_starts = new long[Capacity];
            s_ends = new long[Capacity];
        }
        Volatile.Write(ref s_count, 0);
        s_recording = true;
    }

    /// <summary>Stops recording and returns what was recorded, in the order the records were made.</summary>
    public static Entry[] Stop()
    {
        s_recording = false;
        if (s_kinds is null) return [];
        int count = Math.Min(Volatile.Read(ref s_count), Capacity);
        var entries = new Entry[count];
        for (int i = 0; i < count; i++) entries[i] = new Entry(s_kinds[i]!, s_parts![i], s_starts![i], s_ends![i]);
        return entries;
    }

    /// <summary>Records one job (<see cref="WholeJob"/>) or one part of it; nothing once the buffer is full.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Add(TeamWork work, int part, long start)
    {
        long end = Stopwatch.GetTimestamp();
        int i = Interlocked.Increment(ref s_count) - 1;
        if (i >= Capacity || s_kinds is null) return;
        s_kinds[i] = work.GetType();
        s_parts![i] = part;
        s_starts![i] = start;
        s_ends![i] = end;
    }

    /// <summary>One recorded job or part: the work's type, the part (or <see cref="WholeJob"/>), and its stopwatch times.</summary>
    public readonly record struct Entry(Type Kind, int Part, long Start, long End)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }
}
