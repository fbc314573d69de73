using System.Text.RegularExpressions;

namespace NeuralNets.Serialization;

/// <summary>
/// Replaces a file only once its new contents are complete and on disk: the contents go to a
/// temporary file <c>&lt;target&gt;.&lt;8 hex digits&gt;.tmp</c> beside it, which is flushed and then renamed over the target.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>
    /// A temporary not written to for this long belongs to a save that was killed; a younger one may
    /// belong to a save still running in another process, whose rename would fail if it were removed.
    /// </summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, then removes stale temporaries of earlier saves of it.</summary>
    /// <param name="path">The full path of the target.</param>
    /// <param name="write">Writes the whole contents to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        string temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                // Without this a crash soon after the rename can leave the target renamed but empty.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        RemoveStaleTemporaries(path);
    }

    /// <summary>Deletes the stale temporaries of <paramref name="path"/>: its name, a dot, exactly 8 lowercase hex digits and <c>.tmp</c>, nothing else.</summary>
    internal static void RemoveStaleTemporaries(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        string prefix = Path.GetFileName(path) + ".";
        try
        {
            foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
            {
                string name = Path.GetFileName(candidate);
                if (name.StartsWith(prefix, StringComparison.Ordinal) && TemporarySuffix().IsMatch(name.AsSpan(prefix.Length))
                    && DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) >= StaleAfter)
                    File.Delete(candidate);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The save itself has succeeded; leftovers that cannot be removed now are removed by a later save.
        }
    }

    [GeneratedRegex("^[0-9a-f]{8}\\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporarySuffix();
}
