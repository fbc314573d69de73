using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tensors;

namespace NeuralNets.Interop;

/// <summary>
/// Saves and loads a network's parameters in the safetensors format, which PyTorch (<c>safetensors.torch</c>),
/// Hugging Face and TorchSharp read and write: an 8-byte little-endian header length, a JSON header giving each
/// tensor's <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>, then the raw little-endian values.
/// </summary>
/// <remarks>
/// <para><b>Names.</b> Tensors are named as the network names its parameters, which are PyTorch's <c>state_dict</c> names
/// for an <c>nn.Sequential</c> of the same layers: <c>"0.weight"</c>, <c>"0.bias"</c>, <c>"3.weight"</c>… (activations,
/// Flatten and Dropout take an index in both). A PyTorch model with named modules (<c>self.fc1 = nn.Linear(…)</c>) loads
/// through a renaming, from the file's names to the network's; <see cref="PyTorchNames.ForModules{T}"/> makes one from
/// the modules' names in order. Layouts need no change: Linear's weight is [out, in] and Conv2d's [Cout, Cin, kH, kW] in both.</para>
/// <para><b>Types.</b> Saving writes F32 for float networks and F64 for double. Loading converts F32, F64, F16 and BF16
/// to the network's type, as PyTorch's <c>load_state_dict</c> does.</para>
/// <para><b>Hostile files.</b> The header length, every offset and every shape are checked against the bytes actually
/// present, and every tensor's name, type and shape against the network, before any value is copied: a load that
/// fails leaves the network unchanged and reports an <see cref="InvalidDataException"/> naming the file and the tensor.</para>
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>The largest header accepted (as in the reference implementation): 100 MB of JSON.</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="path"/>, replacing it only once the new file is complete.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file, conventionally <c>*.safetensors</c>.</param>
    /// <param name="metadata">Text stored under <c>__metadata__</c>, such as <c>format = pt</c>; none when null.</param>
    public static void Save<T>(Sequential<T> network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = ToBytes(network, metadata);
        AtomicFile.Write(Path.GetFullPath(path), stream => stream.Write(bytes));
    }

    /// <summary>The parameters of <paramref name="network"/> as the bytes of a safetensors file.</summary>
    /// <inheritdoc cref="Save{T}"/>
    public static byte[] ToBytes<T>(Sequential<T> network, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        string dtype = typeof(T) == typeof(float) ? "F32" : typeof(T) == typeof(double) ? "F64"
            : throw new NotSupportedException($"safetensors files hold float or double parameters, not {typeof(T).Name}.");
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
            foreach (var parameter in network.Parameters)
            {
                long length = (long)parameter.Length * Marshal.SizeOf<T>();
                json.WriteStartObject(parameter.Name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (int d in parameter.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        // Padded with spaces to a multiple of 8, so that the data starts aligned, as the reference writer does.
        int headerLength = (int)(header.Length + 7) / 8 * 8;
        long total = 8 + headerLength + network.Parameters.Sum(p => (long)p.Length * Marshal.SizeOf<T>());
        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + (int)header.Length, headerLength - (int)header.Length).Fill((byte)' ');
        int position = 8 + headerLength;
        foreach (var parameter in network.Parameters)
        {
            var values = MemoryMarshal.AsBytes(parameter.ValueSpan);
            values.CopyTo(bytes.AsSpan(position));
            position += values.Length;
        }
        return bytes;
    }

    /// <summary>Loads the file's tensors into the parameters of the same name (PyTorch's <c>load_state_dict</c>).</summary>
    /// <param name="network">The network, built with the file's architecture.</param>
    /// <param name="path">The file.</param>
    /// <param name="rename">Maps the file's tensor names to the network's parameter names; names it lacks stay as they are.</param>
    /// <param name="strict">When true (the default), a tensor of the file that no parameter takes is an error, as in PyTorch.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, or lacks a parameter, or holds one of another shape, or (strict) holds a tensor the network has no place for; nothing is changed.</exception>
    public static void LoadParameters<T>(Sequential<T> network, string path, IReadOnlyDictionary<string, string>? rename = null, bool strict = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        LoadParameters(network, File.ReadAllBytes(path), $"'{path}'", rename, strict);
    }

    /// <summary>Loads a safetensors file from its bytes into the network's parameters.</summary>
    /// <param name="network">The network, built with the file's architecture.</param>
    /// <param name="file">The bytes of the file.</param>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="rename">Maps the file's tensor names to the network's parameter names; names it lacks stay as they are.</param>
    /// <param name="strict">When true (the default), a tensor of the file that no parameter takes is an error, as in PyTorch.</param>
    /// <inheritdoc cref="LoadParameters{T}(Sequential{T}, string, IReadOnlyDictionary{string, string}?, bool)" path="/exception"/>
    public static void LoadParameters<T>(Sequential<T> network, ReadOnlyMemory<byte> file, string source,
        IReadOnlyDictionary<string, string>? rename = null, bool strict = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        var tensors = SafetensorsHeader.Read(file.Span, source);
        var byName = new Dictionary<string, SafetensorsEntry>();
        foreach (var entry in tensors)
        {
            string name = rename is not null && rename.TryGetValue(entry.Name, out var renamed) ? renamed : entry.Name;
            if (!byName.TryAdd(name, entry))
                throw new InvalidDataException($"{source}: the tensors '{byName[name].Name}' and '{entry.Name}' both load into '{name}'.");
        }
        var chosen = new SafetensorsEntry[network.Parameters.Count];
        for (int i = 0; i < chosen.Length; i++)
        {
            var parameter = network.Parameters[i];
            if (!byName.Remove(parameter.Name, out var entry))
                throw new InvalidDataException($"{source} holds no tensor for the parameter '{parameter.Name}' {TensorMemory.ShapeText(parameter.Shape)}" +
                    (rename is null ? " (give a renaming when the file's names are a PyTorch model's module names; see PyTorchNames)." : "."));
            chosen[i] = entry;
            if (!chosen[i].Shape.AsSpan().SequenceEqual(parameter.Shape.Select(d => (long)d).ToArray()))
                throw new InvalidDataException($"{source}: the tensor '{chosen[i].Name}' is {TensorMemory.ShapeText(chosen[i].Shape)}, but the parameter '{parameter.Name}' is {TensorMemory.ShapeText(parameter.Shape)}.");
        }
        if (strict && byName.Count > 0)
            throw new InvalidDataException($"{source} holds tensors the network has no parameter for: {string.Join(", ", byName.Values.Select(e => $"'{e.Name}'"))} (load with strict: false to ignore them).");
        // Decode every tensor before writing any, so that a failure cannot leave the network half loaded.
        var values = new T[chosen.Length][];
        var data = file.Span[SafetensorsHeader.DataStart(file.Span)..];
        for (int i = 0; i < chosen.Length; i++) values[i] = chosen[i].Decode<T>(data, source);
        network.BeginTrainingStep();
        try
        {
            for (int i = 0; i < chosen.Length; i++) values[i].CopyTo(network.Parameters[i].ValueSpan);
        }
        finally
        {
            network.EndTrainingStep();
        }
    }
}
