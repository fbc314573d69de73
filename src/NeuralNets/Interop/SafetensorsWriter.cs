using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// Lays out a network's tensors (<see cref="NetworkTensor{T}"/>) as a safetensors file, byte for byte as Hugging Face's
/// writer (<c>safetensors.torch.save_file</c>) lays out the same tensors and metadata: the tensors ordered by dtype and
/// then by name, the compact JSON header with <c>__metadata__</c> first and each tensor's <c>dtype</c>, <c>shape</c> and
/// <c>data_offsets</c> in that order, spaces up to a multiple of 8 bytes, then the values one after the other.
/// </summary>
internal static class SafetensorsWriter
{
    /// <summary>
    /// The dtypes this writer writes, in the order the reference writer puts them: the reverse of the order its Dtype
    /// enum declares them in (<c>… F32, C64, F64, I64, U64</c>, "increasing alignment"), so the batch counts (I64) first.
    /// </summary>
    private static readonly string[] DTypeOrder = [NetworkTensor<float>.CountDType, "F64", "F32"];

    /// <summary>The bytes of the file; see <see cref="SafetensorsFile.ToBytes{T}"/>.</summary>
    public static byte[] Write<T>(Sequential<T> network, IReadOnlyDictionary<string, string>? metadata, IReadOnlyDictionary<string, string>? rename)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var fileNames = FileNames(rename);
        var tensors = NetworkTensor<T>.Of(network)
            .Select(t => (Name: fileNames.GetValueOrDefault(t.Name, t.Name), Tensor: t, Bytes: t.Bytes()))
            // The reference writer compares names byte by byte, as UTF-8: ordinal order of UTF-16 differs above U+D7FF.
            .OrderBy(t => Array.IndexOf(DTypeOrder, t.Tensor.DType)).ThenBy(t => Encoding.UTF8.GetBytes(t.Name), ByteOrder.Instance)
            .ToList();
        var twice = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new ArgumentException($"The network's tensors {string.Join(" and ", twice.Select(t => $"'{t.Tensor.Name}'"))} would both be written as '{twice.Key}'.", nameof(rename));
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor, bytes) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (long d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes.Length;
            }
            json.WriteEndObject();
        }
        // Padded with spaces to a multiple of 8, so that the data starts aligned, as the reference writer does.
        int headerLength = (int)(header.Length + 7) / 8 * 8;
        var file = new byte[8 + headerLength + tensors.Sum(t => (long)t.Bytes.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(file.AsSpan(8));
        file.AsSpan(8 + (int)header.Length, headerLength - (int)header.Length).Fill((byte)' ');
        int position = 8 + headerLength;
        foreach (var (_, _, bytes) in tensors)
        {
            bytes.CopyTo(file, position);
            position += bytes.Length;
        }
        return file;
    }

    /// <summary>The file's name of each network name that <paramref name="rename"/> (file name → network name) renames.</summary>
    private static Dictionary<string, string> FileNames(IReadOnlyDictionary<string, string>? rename)
    {
        var fileNames = new Dictionary<string, string>();
        foreach (var (fileName, networkName) in rename ?? new Dictionary<string, string>())
            if (!fileNames.TryAdd(networkName, fileName))
                throw new ArgumentException($"The renaming maps both '{fileNames[networkName]}' and '{fileName}' to '{networkName}'; a file can name it only once.", nameof(rename));
        return fileNames;
    }

    /// <summary>Byte strings in lexicographic order, as Rust compares strings.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
