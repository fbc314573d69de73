namespace NeuralNets.Interop;

/// <summary>
/// What a safetensors file and a network did not have in common, as PyTorch's <c>load_state_dict</c> returns it
/// (<c>missing_keys</c>, <c>unexpected_keys</c>). Only a load with <c>strict: false</c> can leave either non-empty.
/// </summary>
public sealed class SafetensorsLoadReport
{
    internal SafetensorsLoadReport(IReadOnlyList<string> missingNames, IReadOnlyList<string> unexpectedNames) =>
        (MissingNames, UnexpectedNames) = (missingNames, unexpectedNames);

    /// <summary>
    /// The network's tensors the file held no value for, which kept the values they had: parameters and BatchNorm running
    /// statistics, under the file's names (the renaming's key where it maps one to the tensor), in the network's order.
    /// Not a <c>num_batches_tracked</c>, which PyTorch does not report missing either (the layer keeps its count), nor a
    /// bias that zeroAbsentBiases set to zero.
    /// </summary>
    public IReadOnlyList<string> MissingNames { get; }

    /// <summary>The file's tensors the network had no place for, which were left aside, under the file's names, in the file's order.</summary>
    public IReadOnlyList<string> UnexpectedNames { get; }
}
