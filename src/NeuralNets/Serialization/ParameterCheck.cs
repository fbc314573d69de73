using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Tensors;

namespace NeuralNets.Serialization;

/// <summary>
/// Matches a file's parameter records against the parameters expected of it, and copies them in.
/// Everything is checked before anything is copied, so a load that fails changes nothing.
/// </summary>
internal static class ParameterCheck
{
    /// <summary>
    /// Checks that <paramref name="records"/> match <paramref name="expected"/> one for one in name and
    /// shape and that each holds valid base64 of exactly the bytes its shape needs. Only the lengths are
    /// computed, nothing is decoded, so the file's own bytes bound what a later step allocates.
    /// </summary>
    /// <param name="records">The file's parameter records, in order.</param>
    /// <param name="expected">The name and shape each record must have.</param>
    /// <param name="elementSize">Bytes per value: 4 for <see cref="float"/>, 8 for <see cref="double"/>.</param>
    /// <param name="file">Names the file in messages, e.g. <c>'model.json'</c>.</param>
    /// <param name="owner">What the expectation comes from, e.g. <c>the network</c>.</param>
    /// <exception cref="InvalidDataException">A record does not match; the message names the file and the parameter.</exception>
    public static void Match(IReadOnlyList<ParameterRecord> records, IReadOnlyList<ParameterSpec> expected, int elementSize, string file, string owner)
    {
        if (records.Count != expected.Count)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: the file holds {records.Count} parameters but {owner} has {expected.Count}."));
        for (int i = 0; i < records.Count; i++)
        {
            var (record, want) = (records[i], expected[i]);
            if (record.Name != want.Name || !record.Shape.SequenceEqual(want.Shape))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: parameter {i} is '{record.Name}' {TensorMemory.ShapeText(record.Shape)} in the file but '{want.Name}' {TensorMemory.ShapeText(want.Shape)} in {owner}."));
            long count = ShapeSize.Count(record.Shape, Array.MaxLength / elementSize);
            if (count < 0)
                throw new InvalidDataException($"{file}: parameter '{record.Name}' has the shape {TensorMemory.ShapeText(record.Shape)}, more values than an array can hold.");
            if (!Base64.IsValid(record.Data, out int bytes))
                throw new InvalidDataException($"{file}: parameter '{record.Name}': 'Data' is not valid base64.");
            if (bytes != count * elementSize)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: parameter '{record.Name}' holds {bytes} bytes, expected {count * elementSize}."));
        }
    }

    /// <summary>Copies the values of records already accepted by <see cref="Match"/> into <paramref name="parameters"/>.</summary>
    public static void Copy<T>(IReadOnlyList<ParameterRecord> records, IReadOnlyList<Parameter<T>> parameters, string file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Decode all before writing any, so that even a record Match let through by mistake cannot leave the network half loaded.
        Write(Decode(records, parameters, file), parameters);
    }

    /// <summary>The values of records already accepted by <see cref="Match"/>, decoded (as bytes of <typeparamref name="T"/>), one array a parameter.</summary>
    public static byte[][] Decode<T>(IReadOnlyList<ParameterRecord> records, IReadOnlyList<Parameter<T>> parameters, string file)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new byte[records.Count][];
        for (int i = 0; i < records.Count; i++)
        {
            values[i] = new byte[parameters[i].Length * Marshal.SizeOf<T>()];
            if (!Convert.TryFromBase64String(records[i].Data, values[i], out int written) || written != values[i].Length)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: parameter '{records[i].Name}': 'Data' is not valid base64 of {values[i].Length} bytes."));
        }
        return values;
    }

    /// <summary>Checks that decoded values are all finite; <paramref name="why"/> ends the message, saying why they must be.</summary>
    /// <exception cref="InvalidDataException">A value is NaN or infinite; the message names the file, the parameter and the index.</exception>
    public static void RequireFinite<T>(byte[][] values, IReadOnlyList<ParameterRecord> records, string file, string why)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            var span = MemoryMarshal.Cast<byte, T>(values[i]);
            for (int j = 0; j < span.Length; j++)
                if (!T.IsFinite(span[j]))
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{file}: parameter '{records[i].Name}' holds {double.CreateTruncating(span[j])} at index {j}; {why}"));
        }
    }

    /// <summary>Writes values from <see cref="Decode"/> into <paramref name="parameters"/>.</summary>
    public static void Write<T>(byte[][] values, IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
            MemoryMarshal.Cast<byte, T>(values[i]).CopyTo(parameters[i].ValueSpan);
    }
}
