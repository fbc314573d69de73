using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Interop;

/// <summary>
/// Exports a <see cref="Sequential{T}"/> to ONNX, so that ONNX Runtime, ML.NET, a browser or another framework runs it,
/// and imports a chain of ONNX operators, residual blocks among them (from PyTorch, say), as a <see cref="Sequential{T}"/>
/// that predicts and trains.
/// </summary>
/// <remarks>
/// <para><b>Export</b> writes operator set <see cref="OperatorSetVersion"/> (13) of the default domain, IR version 7 (a network
/// with a LayerNorm: <see cref="LayerNormalizationOperatorSetVersion"/> (17), IR version 8); the
/// input and output have a symbolic batch dimension and the network's per-sample shapes; parameters are initializers
/// named as the network names them (<c>"0.weight"</c>), so PyTorch-style names survive. Layers map as
/// Dense → Gemm (transB = 1); Conv2D → Conv (group when above 1, as for ConvTranspose2D → ConvTranspose); MaxPool2D → MaxPool; AvgPool2D → AveragePool (count_include_pad = 1, or 0 for a
/// layer that leaves padding out; either pool with ceil_mode = 1 in ceil mode);
/// ReLU, Sigmoid, Tanh → Relu, Sigmoid, Tanh; LeakyReLU → LeakyRelu (in a double network with a slope that a float
/// cannot hold, PRelu with a double slope from a Constant node); PReLU → PRelu with its slopes the initializer
/// <c>"{i}.weight"</c> (per channel before images, through an Unsqueeze to [C, 1, 1]); LayerNorm → LayerNormalization
/// (axis = −len(normalized shape), γ and β the initializers, or a Constant scale of ones without them; ε a float); Softmax, LogSoftmax → Softmax, LogSoftmax (axis = -1) after a vector, LogSoftmax (axis = 1) over an image's channels; Flatten → Flatten(axis = 1);
/// Unflatten → Reshape to [0, ...shape] (0 keeps the batch); Hardtanh (ReLU6) → Clip; Hardsigmoid, Hardswish →
/// Div(Clip(x + 3, 0, 6), 6) and x times the clip then Div, PyTorch's own order of operations; Dropout → nothing; Residual → its body's nodes and its
/// shortcut's (none for the identity), both reading the block's input, then an Add of the two; a nested Sequential → its
/// layers in its place. Inside a block or a nested network, nodes and parameters are named by place (<c>/3/0/1/Conv</c>,
/// <c>"3.1.0.weight"</c>, as the network names its parameters). A layer without a mapping fails the export, naming it and
/// its place; <see cref="OnnxMappings"/> and <see cref="OnnxExportOptions.Mappings"/> add more (a mapping given for
/// Sequential or Residual replaces writing it out).</para>
/// <para><b>Import</b> accepts a chain (each node feeds the next) of Gemm (any transB, alpha = beta = 1), MatMul with an
/// optional following Add of a bias, Conv and ConvTranspose (any group), MaxPool, AveragePool, Relu, Sigmoid, Tanh, LeakyRelu, PRelu (a learnt PReLU
/// when its slope is an initializer, as PyTorch's nn.PReLU writes it, with one slope or one per channel of axis 1; a
/// LeakyReLU when it is one non-negative value of a Constant node, as our double LeakyReLU writes it), LayerNormalization
/// (opset 17) over axes after the batch, and the ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div form (then Mul and
/// Add of the weight and bias) that <c>torch.onnx.export</c> writes for <c>nn.LayerNorm</c> below opset 17,
/// Softmax and LogSoftmax over a vector, Clip between two constants (a Hardtanh), HardSigmoid with α = 1/6 and β = 1/2
/// (a Hardsigmoid; PyTorch's export, and x times it a Hardswish), HardSwish, Flatten(axis = 1), Reshape to [batch, features] (a Flatten) or to [batch, d1, d2, …] (an Unflatten),
/// Squeeze (with axes) and Unsqueeze of the samples' axes of length 1, never the batch's (nothing when a run of them gives
/// the samples their shape back, else a Flatten or an Unflatten), skipping Identity and Dropout at inference; weights as
/// raw_data or typed fields, and Constant nodes. It also reads what PyTorch's <c>torch.onnx.export</c> writes: a Pad of
/// zeros then AveragePool (AvgPool2d; in ceil mode refused where the padded image keeps a last window that AvgPool2d leaves
/// out), MaxPool and AveragePool with ceil_mode and count_include_pad, GlobalAveragePool (with a flatten after it, GlobalAvgPool2D), a Reshape whose
/// shape is computed from the data's (Shape → Gather → Unsqueeze → Concat) or starts with a fixed-batch input's batch
/// length, weights as a Transpose, Unsqueeze or Squeeze of an initializer, and GELU, SiLU, Softplus with β or a
/// threshold, and ELU (α = 1 too, as <c>torch.where(x &gt; 0, x, torch.exp(x) - 1)</c> exports) written as elementwise nodes.
/// A value that feeds two branches that meet again in an Add of the two is a <see cref="Residual{T}"/> block (PyTorch's
/// BasicBlock, whose BatchNorms its exporter folds into the convolutions in eval mode): each branch a chain as above,
/// blocks nested (at most 64 deep) or one after another included; the Add's first input is the body, unless it is the
/// block's input itself, when the other is the body and the shortcut the identity. Anything else fails naming the node
/// and its operator. An export read back is bit-identical in weights and outputs (Dropout layers, having no node, are
/// gone; a nested Sequential comes back as its layers), except for a double BatchNorm whose ε a float cannot hold,
/// exported with ε folded into the variance and refused on import, and for a LayerNorm whose ε is not the shortest
/// decimal of a float (1e-5 is), read back with that float's.</para>
/// <para>Files are untrusted: every length is checked against the bytes present before anything is allocated, and every
/// malformed file is an <see cref="InvalidDataException"/> that names the file, the node or message, and the field.</para>
/// </remarks>
public static class OnnxFile
{
    /// <summary>The version of the default ONNX operator set that exported files use (but see <see cref="LayerNormalizationOperatorSetVersion"/>).</summary>
    public const int OperatorSetVersion = 13;

    /// <summary>The operator set, 17 (with IR version 8), of an exported file that holds a LayerNormalization node, the operator's first.</summary>
    public const int LayerNormalizationOperatorSetVersion = 17;

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="path"/>, replacing it only once the new file is complete.</summary>
    /// <exception cref="ArgumentException">The network has no input shape, or a layer has no ONNX mapping (the message names it).</exception>
    /// <exception cref="NotSupportedException">A layer's configuration has no ONNX form (the message names the layer).</exception>
    public static void Save<T>(Sequential<T> network, string path, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = ToBytes(network, options);
        AtomicFile.Write(Path.GetFullPath(path), stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model of <paramref name="network"/>, as the bytes of a <c>.onnx</c> file.</summary>
    /// <inheritdoc cref="Save{T}" path="/exception"/>
    public static byte[] ToBytes<T>(Sequential<T> network, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        OnnxEncoder.Encode(OnnxExporter.Build(network, options ?? new OnnxExportOptions()));

    /// <summary>Reads the ONNX model at <paramref name="path"/> as a network of <typeparamref name="T"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, is not a chain (of layers and residual blocks), computes in another element type, or uses an operator or attribute that cannot be imported; the message names the node and operator.</exception>
    public static Sequential<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FromBytes<T>(File.ReadAllBytes(path), $"'{path}'");
    }

    /// <summary>Reads an ONNX model from its bytes as a network of <typeparamref name="T"/>.</summary>
    /// <param name="model">The bytes of a <c>.onnx</c> file.</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <inheritdoc cref="Load{T}" path="/exception"/>
    public static Sequential<T> FromBytes<T>(ReadOnlyMemory<byte> model, string source = "the ONNX model") where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        return OnnxImporter<T>.Import(OnnxDecoder.Decode(model, source), source);
    }
}
