#if WITH_TORCH
using System.Buffers.Binary;
using System.Text;

namespace NeuralNets.Benchmarks.Torch;

/// <summary>
/// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> requires the symbol version <c>GLIBCXX_3.4.32</c>,
/// which Debian 12's libstdc++ (up to 3.4.30) lacks, so loading fails (with a misleading message
/// about libtorch-cpu). The only symbol bound to that version, <c>std::ios_base_library_init</c>, is
/// never called, so marking the requirement weak (<c>VER_FLG_WEAK</c> in its <c>.gnu.version_r</c>
/// entry) lets the dynamic loader accept the library. This patches the copy in the build output
/// only (never the NuGet cache), and only when the system libstdc++ lacks the version.
/// </summary>
internal static class GlibcxxVersionPatch
{
    private const string Version = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Patches the copies of <c>libLibTorchSharp.so</c> in the build output when needed; returns what it did.</summary>
    public static string ApplyIfNeeded()
    {
        if (!OperatingSystem.IsLinux()) return "TorchSharp libstdc++ fix: not Linux, nothing to do";
        if (SystemHasVersion()) return $"TorchSharp libstdc++ fix: system libstdc++ has {Version}, nothing to do";
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        ];
        var report = new List<string>();
        foreach (string library in candidates)
        {
            if (!File.Exists(library)) continue;
            byte[] image = File.ReadAllBytes(library);
            if (MarkWeak(image, Version) == 0)
            {
                report.Add($"{library}: already weak");
                continue;
            }
            string temporary = library + ".patching";
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, library, overwrite: true);
            report.Add($"{library}: marked {Version} weak");
        }
        return "TorchSharp libstdc++ fix: " + (report.Count == 0 ? "libLibTorchSharp.so not found" : string.Join("; ", report));
    }

    private static bool SystemHasVersion()
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"];
        byte[] needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (string path in candidates)
            if (File.Exists(path)) return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on every version-need entry named <paramref name="version"/>; returns how many it changed.</summary>
    internal static int MarkWeak(byte[] image, string version)
    {
        var span = image.AsSpan();
        if (span.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F' || span[4] != 2 || span[5] != 1)
            throw new InvalidDataException("Not a little-endian 64-bit ELF file.");
        long sectionHeaders = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int changed = 0;
        for (int s = 0; s < count; s++)
        {
            var header = span[(int)(sectionHeaders + s * entrySize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed) continue;
            long offset = BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int needCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]); // sh_info: number of Verneed entries
            var strings = span[(int)(sectionHeaders + link * entrySize)..];
            long stringsOffset = BinaryPrimitives.ReadInt64LittleEndian(strings[0x18..]);
            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(need + 2)..]);
                long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = stringsOffset + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]);
                    if (NameEquals(span, name, version))
                    {
                        var flags = span[(int)(aux + 4)..];
                        ushort value = BinaryPrimitives.ReadUInt16LittleEndian(flags);
                        if ((value & VerFlagWeak) == 0)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(value | VerFlagWeak));
                            changed++;
                        }
                    }
                    aux += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                }
                need += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 12)..]);
            }
        }
        return changed;
    }

    private static bool NameEquals(ReadOnlySpan<byte> image, long offset, string name)
    {
        for (int i = 0; i < name.Length; i++)
            if (image[(int)offset + i] != (byte)name[i]) return false;
        return image[(int)offset + name.Length] == 0;
    }
}
#endif
