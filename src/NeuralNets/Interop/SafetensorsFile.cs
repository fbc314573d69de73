using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Interop;

/// <summary>
/// Saves and loads a network's parameters in the safetensors format, which PyTorch (<c>safetensors.torch</c>),
/// Hugging Face and TorchSharp read and write: an 8-byte little-endian header length, a JSON header giving each
/// tensor's <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>, then the raw little-endian values.
/// </summary>
/// <remarks>
/// <para><b>Names.</b> A file holds a network's <c>state_dict</c> as PyTorch names it for an <c>nn.Sequential</c> of the
/// same layers: <c>"0.weight"</c>, <c>"0.bias"</c>, <c>"3.weight"</c>… (activations, pools, Flatten and Dropout take an
/// index in both), <c>"1.0.weight"</c> in a nested network, and for each BatchNorm layer its buffers
/// <c>"1.running_mean"</c>, <c>"1.running_var"</c> and <c>"1.num_batches_tracked"</c> (I64) besides its weight and bias.
/// A PyTorch model with named modules (<c>self.fc1 = nn.Linear(…)</c>) loads and saves through a renaming from the file's
/// names to the network's; <see cref="PyTorchNames.ForModules{T}"/> makes one from the modules' names in order. Layouts
/// need no change: Linear's weight is [out, in] and Conv2d's [Cout, Cin, kH, kW] in both.</para>
/// <para><b>Bytes.</b> Saving writes exactly what Hugging Face's writer (<c>save_file</c>) writes for the same tensors and
/// metadata: the batch counts first, then the values, each group ordered by name; F32 for float networks and F64 for
/// double; the header padded with spaces to a multiple of 8 bytes. Names are escaped as .NET's JSON writer escapes them,
/// which for PyTorch's names (letters, digits, '_' and '.') is not at all, as there.</para>
/// <para><b>Loading</b> converts F32, F64, F16 and BF16 to the network's type, as PyTorch's <c>load_state_dict</c> does.
/// A file without <c>num_batches_tracked</c> (older PyTorch) leaves the layers' counts as they are, as PyTorch does; a
/// PyTorch layer built with <c>bias=False</c> has no bias tensor, and loads into a layer built with <c>bias: false</c>
/// (Dense, Conv2D, ConvTranspose2D), which saves none either: the same <c>state_dict</c> both ways. Into a layer with a
/// bias it loads only when asked to set that bias to zero (zeroAbsentBiases). With strict: false, as PyTorch's
/// <c>strict=False</c>, a file's other tensors, of any of the format's types of whole bytes (int64 buffers, masks), are
/// left aside, and the network's tensors the file lacks keep their values (a BatchNorm's running mean without its
/// variance too); the returned <see cref="SafetensorsLoadReport"/> names both, and a tensor of the wrong shape or type
/// is still an error.</para>
/// <para><b>Hostile files.</b> The header length, every offset and every shape are checked against the bytes actually
/// present, and every tensor's name, type and shape against the network, before any value is copied: a load that
/// fails leaves the network unchanged and reports an <see cref="InvalidDataException"/> naming the file and the tensor.</para>
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>The largest header accepted (as in the reference implementation): 100 MB of JSON.</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Writes the parameters and BatchNorm buffers of <paramref name="network"/> to <paramref name="path"/>, replacing it only once the new file is complete.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file, conventionally <c>*.safetensors</c>.</param>
    /// <param name="metadata">Text stored under <c>__metadata__</c>, such as <c>format = pt</c> (which Hugging Face's
    /// <c>save_pretrained</c> writes and <c>from_pretrained</c> looks for); none when null.</param>
    /// <param name="rename">A renaming as <see cref="LoadParameters{T}(Sequential{T}, string, IReadOnlyDictionary{string, string}?, bool, bool)"/>
    /// takes it, from the file's names to the network's: each tensor it renames is written under the file's name, so that
    /// the PyTorch model it came from loads the file with <c>strict=True</c>. Null to write the network's names.</param>
    /// <exception cref="ArgumentException">The renaming gives two network names the same file name, or one network name two file names.</exception>
    public static void Save<T>(Sequential<T> network, string path, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, string>? rename = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = ToBytes(network, metadata, rename);
        AtomicFile.Write(Path.GetFullPath(path), stream => stream.Write(bytes));
    }

    /// <summary>The parameters and BatchNorm buffers of <paramref name="network"/> as the bytes of a safetensors file.</summary>
    /// <inheritdoc cref="Save{T}"/>
    public static byte[] ToBytes<T>(Sequential<T> network, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, string>? rename = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SafetensorsWriter.Write(network, metadata, rename);

    /// <summary>Loads the file's tensors into the parameters and BatchNorm buffers of the same name (PyTorch's <c>load_state_dict</c>).</summary>
    /// <param name="network">The network, built with the file's architecture.</param>
    /// <param name="path">The file.</param>
    /// <param name="rename">Maps the file's tensor names to the network's names; names it lacks stay as they are.</param>
    /// <param name="strict">When true (the default), the file and the network must hold the same tensors, as in PyTorch. When
    /// false, as PyTorch's <c>strict=False</c>, a tensor of the file that the network has no place for is left aside, and a
    /// tensor of the network that the file lacks keeps its value; the report names both.</param>
    /// <param name="zeroAbsentBiases">When true, a layer with a bias whose weight the file holds but not its bias (a PyTorch
    /// layer built with <c>bias=False</c>) gets a bias of zeros, and predicts as the PyTorch layer; when false (the default),
    /// that is an error, or with strict: false a missing bias that keeps its value. A layer built with <c>bias: false</c> loads such a file either way.</param>
    /// <returns>The names the file lacked and those it held in vain (PyTorch's <c>missing_keys</c> and <c>unexpected_keys</c>);
    /// both empty for a strict load.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, or holds a tensor of another shape or type than the
    /// network's of its name (strict or not; PyTorch too refuses another shape either way), or (strict) lacks a parameter or a running statistic, or
    /// holds a tensor the network has no place for; nothing is changed.</exception>
    public static SafetensorsLoadReport LoadParameters<T>(Sequential<T> network, string path, IReadOnlyDictionary<string, string>? rename = null, bool strict = true, bool zeroAbsentBiases = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return LoadParameters(network, File.ReadAllBytes(path), $"'{path}'", rename, strict, zeroAbsentBiases);
    }

    /// <summary>Loads a safetensors file from its bytes into the network's parameters and BatchNorm buffers.</summary>
    /// <param name="network">The network, built with the file's architecture.</param>
    /// <param name="file">The bytes of the file.</param>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="rename">Maps the file's tensor names to the network's names; names it lacks stay as they are.</param>
    /// <param name="strict">When true (the default), the file and the network must hold the same tensors; when false, what either lacks is reported instead.</param>
    /// <param name="zeroAbsentBiases">When true, a layer whose weight the file holds but not its bias gets a bias of zeros; when false (the default), that bias is missing.</param>
    /// <inheritdoc cref="LoadParameters{T}(Sequential{T}, string, IReadOnlyDictionary{string, string}?, bool, bool)" path="/returns"/>
    /// <inheritdoc cref="LoadParameters{T}(Sequential{T}, string, IReadOnlyDictionary{string, string}?, bool, bool)" path="/exception"/>
    public static SafetensorsLoadReport LoadParameters<T>(Sequential<T> network, ReadOnlyMemory<byte> file, string source,
        IReadOnlyDictionary<string, string>? rename = null, bool strict = true, bool zeroAbsentBiases = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        return SafetensorsLoader.Load(network, file.Span, source, rename, strict, zeroAbsentBiases);
    }
}
