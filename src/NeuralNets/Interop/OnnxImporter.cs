using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Interop;

/// <summary>
/// Turns a decoded ONNX model that is a chain of supported operators (and of residual blocks, whose branches are such chains) into a <see cref="Sequential{T}"/>; see
/// <see cref="OnnxFile"/> for what is accepted. Each node is checked (operator, attributes, weights' types and
/// sizes) before its layer is built, and each failure names the node and its operator.
/// </summary>
internal sealed partial class OnnxImporter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly string[] WindowAttributes = ["auto_pad", "kernel_shape", "strides", "pads", "dilations"];
    private readonly string _file;
    private readonly long _opset;
    /// <summary>The layers read so far: the network's, or while a residual block is read, its branch's.</summary>
    private List<ILayer<T>> _layers = [];
    private IReadOnlyList<int> _shape = [];

    /// <summary>The input's batch length where the file fixes it (an export without a dynamic batch), else null.</summary>
    private long? _declaredBatch;

    private OnnxImporter(string file, long opset) => (_file, _opset) = (file, opset);

    public static Sequential<T> Import(ModelProto model, string file)
    {
        var graph = model.Graph ?? throw new InvalidDataException($"{file} holds no graph.");
        long opset = -1;
        foreach (var (domain, version) in model.OperatorSets)
            if (domain is "" or "ai.onnx") opset = version;
        if (opset < 1) throw new InvalidDataException($"{file} does not say which version of the default ONNX operator set it uses (opset_import).");
        var importer = new OnnxImporter<T>(file, opset);
        importer.CollectStaticValues(graph);
        string input = importer.ReadInput(graph);
        if (graph.Outputs.Count != 1)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: the graph has {graph.Outputs.Count} outputs; a Sequential network has one."));
        var chain = importer.Chain(graph, input, graph.Outputs[0].Name);
        var inputShape = importer._shape;
        for (int i = 0; i < chain.Count; i++) i += importer.Translate(chain, i);
        if (importer._layers.Count == 0) throw new InvalidDataException($"{file}: the graph computes nothing (only Identity or Dropout nodes).");
        return new Sequential<T>(inputShape, [.. importer._layers]);
    }

    /// <summary>The one graph input that is not an initializer: its element type must be T and its shape [batch, ...sample].</summary>
    private string ReadInput(GraphProto graph)
    {
        var inputs = graph.Inputs.Where(i => !IsStatic(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{_file}: the graph has {inputs.Count} inputs besides its initializers ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); a Sequential network has one, and weights must be in the file (PyTorch writes them as inputs when exporting with export_params=False)."));
        var input = inputs[0];
        if (input.ElementType != OnnxDataType.Of<T>())
            throw new InvalidDataException($"{_file}: the input '{input.Name}' is {OnnxDataType.Name(input.ElementType)}; load the model as Sequential of that type, not {typeof(T).Name}.");
        if (!input.HasShape || input.Shape.Count < 2)
            throw new InvalidDataException($"{_file}: the input '{input.Name}' must have a shape [batch, ...] of rank 2 or more, was {(input.HasShape ? OnnxExporter.ShapeText(input.Shape) : "none")}.");
        var sample = new int[input.Shape.Count - 1];
        for (int d = 0; d < sample.Length; d++)
        {
            var dimension = input.Shape[d + 1];
            if (dimension.Symbol is not null || dimension.Value is <= 0 or > int.MaxValue)
                throw new InvalidDataException($"{_file}: the input '{input.Name}' has the shape {OnnxExporter.ShapeText(input.Shape)}; every dimension after the batch must be a positive number.");
            sample[d] = (int)dimension.Value;
        }
        if (ShapeSize.Count(sample, int.MaxValue) < 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}: the input '{input.Name}' has more than {int.MaxValue} values per sample."));
        _shape = sample;
        _declaredBatch = input.Shape[0] is { Symbol: null, Value: > 0 } batch ? batch.Value : null;
        return input.Name;
    }

    /// <summary>Adds the layers of link <paramref name="index"/> of the chain; returns how many links after it it also took in (an Add after MatMul).</summary>
    private int Translate(List<Link> chain, int index)
    {
        var node = chain[index].Nodes[0];
        var next = index + 1 < chain.Count && !chain[index + 1].Branches ? chain[index + 1].Nodes[0] : null;
        if (chain[index].Branches && JoinsByAdding(chain[index]))
        {
            ResidualBlock(chain[index]);
            return 0;
        }
        if (chain[index].Branches) return node.OpType == "ReduceMean" ? DecomposedLayerNorm(chain, index) : Activation(chain, index);
        switch (node.OpType)
        {
            case "Mul" or "Div" or "Add" or "Sub" or "Erf" or "Exp" or "Clip" or "HardSigmoid": return Activation(chain, index);
            case "HardSwish": NoAttributes(node); Add(node, () => new Hardswish<T>()); return 0;
            case "Gemm": Gemm(node); return 0;
            case "MatMul": return MatMul(node, next);
            case "Conv": Conv(node); return 0;
            case "ConvTranspose": ConvTranspose(node); return 0;
            case "MaxPool": MaxPool(node); return 0;
            case "AveragePool": AveragePool(node, padding: null); return 0;
            case "Pad": return PadThenAveragePool(node, next);
            case "GlobalAveragePool": return GlobalAveragePool(node, next);
            case "Relu": NoAttributes(node); Add(node, () => new ReLU<T>()); return 0;
            case "Sigmoid": NoAttributes(node); Add(node, () => new Sigmoid<T>()); return 0;
            case "Tanh": NoAttributes(node); Add(node, () => new Tanh<T>()); return 0;
            case "LeakyRelu":
            {
                Allowed(node, "alpha");
                float alpha = Float(node, "alpha", 0.01f);
                Add(node, () => new LeakyReLU<T>(Decimal(alpha)));
                return 0;
            }
            case "PRelu": PRelu(node); return 0;
            case "Softmax": OverASample(node, () => new Softmax<T>()); return 0;
            case "LogSoftmax": LogSoftmaxOverAnAxis(node); return 0;
            case "Flatten":
            {
                if (!FlattensAfterBatch(node, _shape.Count))
                    throw Node(node, string.Create(CultureInfo.InvariantCulture, $"flattens from axis {Int(node, "axis", 1)}; only Flatten(axis = 1), which keeps the batch, can be imported"));
                Add(node, () => new Flatten<T>());
                return 0;
            }
            case "Reshape": Reshape(node); return 0;
            case "Squeeze" or "Unsqueeze": return UnitAxes(chain, index);
            case "Identity": return 0;
            case "Dropout": Dropout(node); return 0;
            // Issue 16 layers.
            case "Elu":
            {
                Allowed(node, "alpha");
                float alpha = Float(node, "alpha", 1f);
                if (!(alpha >= 0)) throw Node(node, $"has alpha {alpha.ToString(CultureInfo.InvariantCulture)}; ELU's alpha must be non-negative");
                Add(node, () => new ELU<T>(Decimal(alpha)));
                return 0;
            }
            // ONNX's Softplus is log(1 + eˣ) everywhere; above x = 40, eˣ's 1 is below a double's precision, so the
            // threshold 40 gives exactly the same function where PyTorch's 20 would not.
            case "Softplus": NoAttributes(node); Add(node, () => new Softplus<T>(1, 40)); return 0;
            case "BatchNormalization": BatchNormalization(node); return 0;
            case "LayerNormalization": LayerNormalization(node); return 0;
            default:
                throw Node(node, "is an operator that cannot be imported (supported: Gemm, MatMul + Add, Conv, ConvTranspose, MaxPool, AveragePool, Pad of zeros before AveragePool, GlobalAveragePool, Relu, Sigmoid, Tanh, LeakyRelu, PRelu, Softmax, LogSoftmax, Flatten, Reshape that keeps the batch, Squeeze and Unsqueeze of the samples' axes, Identity, Dropout, Elu, Softplus, BatchNormalization, LayerNormalization (or torch's ReduceMean form of it), Clip, HardSigmoid, HardSwish, and GELU, SiLU, Softplus, ELU, Hardsigmoid or Hardswish written as elementwise nodes)");
        }
    }

    /// <summary>
    /// BatchNormalization in inference form: BatchNorm1D for samples [C] or [C, L], BatchNorm2D for [C, H, W]. A scale
    /// of ones with a bias of zeros, which is what the export of a layer without γ and β writes, gives such a layer
    /// (<c>affine</c> false); any other scale and bias become γ and β. ONNX's momentum weighs the running value, not the
    /// batch, so PyTorch's is 1 − momentum (0.1 when absent).
    /// </summary>
    private void BatchNormalization(NodeProto node)
    {
        Allowed(node, "epsilon", "momentum", "training_mode", "spatial");
        if (Int(node, "training_mode", 0) != 0) throw Node(node, "is in training mode (training_mode = 1); only the inference form can be imported");
        if (Int(node, "spatial", 1) != 1) throw Node(node, "normalises each position apart (spatial = 0); only per-channel statistics can be imported");
        if (node.Inputs.Length != 5 || node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value (X), then scale, B, mean and var");
        if (_shape.Count is not (1 or 2 or 3))
            throw Node(node, $"receives samples of shape {Text(_shape)}; BatchNorm1D takes [C] or [C, L], BatchNorm2D [C, H, W]");
        int features = _shape[0];
        T[] Vector(int index, string what)
        {
            var values = Values(node, Constant(node, index, what), what);
            return values.Length == features ? values : throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a {what} of {values.Length} values for {features} channels"));
        }
        T[] scale = Vector(1, "scale"), bias = Vector(2, "B"), mean = Vector(3, "mean"), variance = Vector(4, "var");
        float epsilonAttribute = Float(node, "epsilon", 1e-5f);
        if (!(epsilonAttribute > 0) || !float.IsFinite(epsilonAttribute))
            throw Node(node, $"has epsilon {epsilonAttribute.ToString(CultureInfo.InvariantCulture)}; BatchNorm needs a finite positive ε (a double network's export folds ε into var and writes 0, which cannot be read back apart)");
        double epsilon = Decimal(epsilonAttribute);
        float runningWeight = Float(node, "momentum", 0.9f);
        if (!(runningWeight is >= 0 and <= 1)) throw Node(node, $"has momentum {runningWeight.ToString(CultureInfo.InvariantCulture)}; it must be in [0, 1]");
        double momentum = (double)(1m - decimal.Parse(runningWeight.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));
        bool affine = Array.Exists(scale, v => v != T.One) || Array.Exists(bias, v => v != T.Zero);
        var layer = (BatchNorm<T>)Add(node, () =>
        {
            BatchNorm<T> built = _shape.Count == 3
                ? new BatchNorm2D<T>(features, momentum, epsilon, affine)
                : new BatchNorm1D<T>(features, momentum, epsilon, affine);
            built.SetRunningStatistics(Array.ConvertAll(mean, double.CreateTruncating), Array.ConvertAll(variance, double.CreateTruncating));
            return built;
        });
        if (!affine) return;
        scale.CopyTo(layer.Weight!.ValueSpan);
        bias.CopyTo(layer.Bias!.ValueSpan);
    }

    /// <summary>
    /// PRelu: a learnt <see cref="PReLU{T}"/> when its slope is a weight (an initializer, or one folded from an initializer,
    /// as <c>torch.onnx.export</c> writes <c>nn.PReLU</c>), with one slope or one per channel of axis 1; a fixed
    /// <see cref="LeakyReLU{T}"/> when it is one non-negative value of a Constant node (our export of a double LeakyReLU).
    /// The slope broadcasts from the right: one per channel is <c>[C]</c> before a vector sample <c>[C]</c>, <c>[C, 1, 1]</c>
    /// before <c>[C, H, W]</c>; any other shape would give positions slopes of their own, which PReLU does not hold.
    /// </summary>
    private void PRelu(NodeProto node)
    {
        NoAttributes(node);
        if (node.Inputs.Length != 2 || node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value (X), then the slope");
        var slopeTensor = Constant(node, 1, "slope");
        long[] dims = slopeTensor.Dims;
        // One of higher rank would broadcast the result to it ([N, 4] by a [1, 1, 1] slope is [1, N, 4]).
        if (dims.Length > _shape.Count + 1)
            throw Node(node, $"has a slope '{slopeTensor.Name}' {Text(dims)} of higher rank than its input, samples {Text(_shape)} and the batch");
        var slope = Values(node, slopeTensor, "slope");
        if (IsConstantNodeValue(node.Inputs[1]) && slope.Length == 1 && slope[0] >= T.Zero && T.IsFinite(slope[0]))
        {
            Add(node, () => new LeakyReLU<T>(Decimal(slope[0])));
            return;
        }
        // Right-aligned with [N, ...sample], the slope's axis under the channels (axis 1) is at dims.Length − sample rank.
        int channelAxis = dims.Length - _shape.Count;
        bool perChannel = slope.Length > 1 && channelAxis >= 0 && dims[channelAxis] == _shape[0]
            && dims.Select((length, axis) => axis == channelAxis || length == 1).All(fits => fits);
        if (slope.Length > 1 && !perChannel)
            throw Node(node, $"has a slope '{slopeTensor.Name}' {Text(dims)} for samples {Text(_shape)}; only one slope, or one per channel of axis 1 ([C] before samples [C], [C, 1, 1] before [C, H, W]), can be imported");
        var layer = (PReLU<T>)Add(node, () => new PReLU<T>(slope.Length));
        slope.CopyTo(layer.Weight.ValueSpan);
    }

    /// <summary>Dropout at inference passes values on; from opset 12 a third input, training_mode, may say that it drops them instead.</summary>
    private void Dropout(NodeProto node)
    {
        if (node.Inputs.Length < 3 || node.Inputs[2].Length == 0) return;
        if (Constant(node, 2, "training_mode") is not { DataType: OnnxDataType.Bool, HasRawData: true, RawData: { Length: 1 } mode } || mode.Span[0] != 0)
            throw Node(node, "drops values in training mode (its input training_mode is not a constant false); only Dropout at inference, which passes values on, can be imported");
    }

    private void Gemm(NodeProto node)
    {
        Allowed(node, "alpha", "beta", "transA", "transB");
        if (node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value as its first input (A)");
        if (Float(node, "alpha", 1f) != 1f || Float(node, "beta", 1f) != 1f)
            throw Node(node, "scales by alpha or beta other than 1, which Dense does not");
        if (Int(node, "transA", 0) != 0) throw Node(node, "transposes its input (transA = 1)");
        bool transB = Int(node, "transB", 0) switch { 0 => false, 1 => true, var other => throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has transB = {other}")) };
        var b = Constant(node, 1, "B");
        string? bias = node.Inputs.Length > 2 && node.Inputs[2].Length > 0 ? node.Inputs[2] : null;
        AddDense(node, b, transB, bias is null ? null : Constant(node, 2, "C"));
    }

    private int MatMul(NodeProto node, NodeProto? next)
    {
        NoAttributes(node);
        if (node.Inputs.Length != 2 || node.Inputs[0] != DataInput(node)) throw Node(node, "must multiply the computed value (first) by a weight (second)");
        var b = Constant(node, 1, "B");
        // x·W + b, as PyTorch's older exporters and Keras converters write Linear.
        if (next is { OpType: "Add", Attributes.Length: 0, Inputs.Length: 2 })
        {
            string other = next.Inputs[0] == node.Outputs[0] ? next.Inputs[1] : next.Inputs[0];
            if (IsStatic(other))
            {
                AddDense(node, b, transposed: false, Constant(next, Array.IndexOf(next.Inputs, other), "bias"));
                return 1;
            }
        }
        AddDense(node, b, transposed: false, bias: null);
        return 0;
    }

    /// <summary>A Dense layer from a weight <c>[out, in]</c> (<paramref name="transposed"/>) or <c>[in, out]</c>, and a bias of out values or one.</summary>
    private void AddDense(NodeProto node, TensorProto weight, bool transposed, TensorProto? bias)
    {
        if (_shape.Count != 1)
            throw Node(node, $"receives samples of shape {Text(_shape)}; a matrix product needs vectors (a Flatten before it)");
        if (weight.Dims.Length != 2) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a weight of rank {weight.Dims.Length}; it must be a matrix"));
        long inputs = weight.Dims[transposed ? 1 : 0], outputs = weight.Dims[transposed ? 0 : 1];
        if (inputs != _shape[0])
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a weight '{weight.Name}' {Text(weight.Dims)} for {inputs} inputs, but receives {_shape[0]} values per sample"));
        // Broadcast to [batch, outputs], a bias of [outputs], [1, outputs] or one value adds the same to every sample;
        // [outputs, 1] would add one value to each sample of a batch of that length, and a higher rank would add axes.
        if (bias is not null && (bias.Dims.Length > 2 || bias.Dims.SkipLast(1).Any(length => length != 1)))
            throw Node(node, $"has a bias '{bias.Name}' {Text(bias.Dims)}; only a bias of [outputs], [1, outputs] or one value, added to every sample alike, can be imported");
        var w = Values(node, weight, "weight");
        T[]? b = bias is null ? null : Values(node, bias, "bias");
        if (b is not null && b.Length != outputs && b.Length != 1)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a bias of {b.Length} values for {outputs} outputs"));
        // No bias (Gemm without C, MatMul without an Add: PyTorch's bias=False) makes a layer without one.
        var dense = (Dense<T>)Add(node, () => new Dense<T>((int)inputs, (int)outputs, new Random(0), WeightInit.Zeros, bias: b is not null));
        var target = dense.Weight.ValueSpan;
        if (transposed) w.CopyTo(target);
        else
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < inputs; i++) target[o * (int)inputs + i] = w[i * outputs + o];
        if (b is not null)
            for (int o = 0; o < outputs; o++) dense.Bias!.ValueSpan[o] = b[b.Length == 1 ? 0 : o];
    }

    private void Conv(NodeProto node)
    {
        if (node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value as its first input (X)");
        var weight = Constant(node, 1, "W");
        if (weight.Dims.Length != 4) throw Node(node, $"has a weight {Text(weight.Dims)}; a 2-D convolution's is [Cout, Cin/group, kH, kW]");
        long groups = Int(node, "group", 1);
        if (groups < 1 || groups > int.MaxValue || weight.Dims[0] % groups != 0)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has group {groups}, which does not divide its {weight.Dims[0]} filters"));
        var (kernel, stride, padding) = Window(node, [.. WindowAttributes, "group"], kernelFromAttribute: (weight.Dims[2], weight.Dims[3]));
        if (_shape.Count != 3 || _shape[0] != weight.Dims[1] * groups)
            throw Node(node, string.Create(CultureInfo.InvariantCulture,
                $"receives samples of shape {Text(_shape)}, but its weight {Text(weight.Dims)} in {groups} group(s) needs [{weight.Dims[1] * groups}, H, W]"));
        var w = Values(node, weight, "weight");
        T[]? b = node.Inputs.Length > 2 && node.Inputs[2].Length > 0 ? Values(node, Constant(node, 2, "B"), "bias") : null;
        if (b is not null && b.Length != weight.Dims[0]) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a bias of {b.Length} values for {weight.Dims[0]} filters"));
        var conv = (Conv2D<T>)Add(node, () => new Conv2D<T>(_shape[0], (int)weight.Dims[0], kernel, new Random(0), stride, padding, WeightInit.Zeros,
            bias: b is not null, groups: (int)groups));
        w.CopyTo(conv.Weight.ValueSpan);
        b?.CopyTo(conv.Bias!.ValueSpan);
    }

    private void ConvTranspose(NodeProto node)
    {
        if (node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value as its first input (X)");
        var weight = Constant(node, 1, "W");
        if (weight.Dims.Length != 4) throw Node(node, $"has a weight {Text(weight.Dims)}; a 2-D transposed convolution's is [Cin, Cout/group, kH, kW]");
        long groups = Int(node, "group", 1);
        if (groups < 1 || groups > int.MaxValue || weight.Dims[0] % groups != 0)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has group {groups}, which does not divide its {weight.Dims[0]} input channels"));
        if (Attribute(node, "output_shape") is not null) throw Node(node, "sets output_shape; only explicit pads and output_padding can be imported");
        var (kernel, stride, padding) = Window(node, [.. WindowAttributes, "group", "output_padding"], kernelFromAttribute: (weight.Dims[2], weight.Dims[3]));
        var outputPadding = Ints(node, "output_padding", 2, 0);
        var extra = (Length(node, outputPadding[0], 0), Length(node, outputPadding[1], 0));
        if (extra.Item1 >= stride.Item1 || extra.Item2 >= stride.Item2)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has output_padding {Text(outputPadding)} not below its strides ({stride.Item1}, {stride.Item2})"));
        if (_shape.Count != 3 || _shape[0] != weight.Dims[0])
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"receives samples of shape {Text(_shape)}, but its weight {Text(weight.Dims)} needs [{weight.Dims[0]}, H, W]"));
        var w = Values(node, weight, "weight");
        T[]? b = node.Inputs.Length > 2 && node.Inputs[2].Length > 0 ? Values(node, Constant(node, 2, "B"), "bias") : null;
        long outChannels = weight.Dims[1] * groups;
        if (b is not null && b.Length != outChannels) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a bias of {b.Length} values for {outChannels} output channels"));
        if (outChannels > int.MaxValue) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has {outChannels} output channels"));
        var layer = (ConvTranspose2D<T>)Add(node, () => new ConvTranspose2D<T>(_shape[0], (int)outChannels, kernel, new Random(0), stride, padding, extra,
            WeightInit.Zeros, bias: b is not null, groups: (int)groups));
        w.CopyTo(layer.Weight.ValueSpan);
        b?.CopyTo(layer.Bias!.ValueSpan);
    }

    /// <summary>Kernel, strides and symmetric pads of a Conv or pooling node; <paramref name="kernelFromAttribute"/> is the weight's kernel, if any.</summary>
    private ((int, int) Kernel, (int, int) Stride, (int, int) Padding) Window(NodeProto node, string[] allowed, (long, long)? kernelFromAttribute)
    {
        Allowed(node, allowed);
        if (Attribute(node, "auto_pad") is { } autoPad && Encoding(autoPad) is not ("NOTSET" or "VALID"))
            throw Node(node, $"pads automatically (auto_pad = {Encoding(autoPad)}); only explicit pads can be imported");
        if (Ints(node, "dilations", 2, 1).Any(d => d != 1)) throw Node(node, "is dilated; only dilations of 1 can be imported");
        var kernelShape = Attribute(node, "kernel_shape") is null && kernelFromAttribute is { } k ? [k.Item1, k.Item2] : Ints(node, "kernel_shape", 2, null);
        if (kernelFromAttribute is { } fromWeight && (kernelShape[0], kernelShape[1]) != fromWeight)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has kernel_shape {Text(kernelShape)} but a weight with a {fromWeight.Item1}×{fromWeight.Item2} kernel"));
        var strides = Ints(node, "strides", 2, 1);
        var pads = Ints(node, "pads", 4, 0);
        if (pads[0] != pads[2] || pads[1] != pads[3])
            throw Node(node, $"pads {Text(pads)} unequally; NeuralNets pads top and bottom, left and right alike");
        return ((Length(node, kernelShape[0], 1), Length(node, kernelShape[1], 1)), (Length(node, strides[0], 1), Length(node, strides[1], 1)),
            (Length(node, pads[0], 0), Length(node, pads[1], 0)));
    }

    /// <summary>Softmax, which NeuralNets' layer computes over a whole sample: over the last axis of a vector, or from axis 1 on before opset 13.</summary>
    private void OverASample(NodeProto node, Func<ILayer<T>> layer)
    {
        var (lastOfVector, wholeSample, axis) = NormalisedAxes(node);
        if (!lastOfVector && !wholeSample)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"normalises over axis {axis} of samples of shape {Text(_shape)}; NeuralNets' {node.OpType} normalises over a whole sample"));
        Add(node, layer);
    }

    /// <summary>
    /// LogSoftmax, which NeuralNets' layer computes over axis 1 as <c>nn.LogSoftmax(dim=1)</c>: over the last axis of a
    /// vector, over the channels at opset 13 with axis 1 (as PyTorch exports it after a convolution), and, before opset 13,
    /// from axis 1 on as a Flatten, LogSoftmax and Unflatten back to the sample's shape.
    /// </summary>
    private void LogSoftmaxOverAnAxis(NodeProto node)
    {
        var (lastOfVector, wholeSample, axis) = NormalisedAxes(node);
        int rank = _shape.Count + 1;
        if (lastOfVector || (_opset >= 13 && (axis == 1 || axis == 1 - rank)))
        {
            Add(node, () => new LogSoftmax<T>());
            return;
        }
        if (!wholeSample)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"normalises over axis {axis} of samples of shape {Text(_shape)}; NeuralNets' LogSoftmax normalises over axis 1 (or, before opset 13, from axis 1 on)"));
        int[] sample = [.. _shape];
        Add(node, () => new Flatten<T>());
        Add(node, () => new LogSoftmax<T>());
        Add(node, () => new Unflatten<T>(1, sample));
    }

    /// <summary>The node's axis, and whether it is the last of a vector or (before opset 13) the whole sample.</summary>
    private (bool LastOfVector, bool WholeSample, long Axis) NormalisedAxes(NodeProto node)
    {
        Allowed(node, "axis");
        // Opset 13 normalises over one axis (default the last); earlier sets over everything from the axis on (default 1).
        long axis = Int(node, "axis", _opset >= 13 ? -1 : 1);
        int rank = _shape.Count + 1;
        return (rank == 2 && (axis == 1 || axis == -1), _opset < 13 && (axis == 1 || axis == 1 - rank), axis);
    }

    /// <summary>
    /// A Reshape that keeps the batch: to <c>[batch, features]</c> it is a Flatten; to <c>[batch, d1, d2, …]</c> an
    /// <see cref="Unflatten{T}"/> (after a Flatten when the samples are not vectors).
    /// </summary>
    private void Reshape(NodeProto node)
    {
        var sample = ReshapedSample(node, _shape, out var target);
        if (sample is null)
        {
            long features = ShapeSize.Count(_shape, int.MaxValue);
            string lengths = "[" + string.Join(", ", target.Select(length => length is { } known ? known.ToString(CultureInfo.InvariantCulture) : "batch")) + "]";
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"reshapes samples of shape {Text(_shape)} to {lengths}; only a reshape that keeps the batch, to [batch, {features}] (a flatten) or to [batch, d1, d2, …] with d1·d2·… = {features} (an unflatten), can be imported"));
        }
        Reshaped(node, sample);
    }

    /// <summary>The layers that give each sample the shape <paramref name="sample"/> (as many values): none when it has it, a Flatten to a vector, an Unflatten (after a Flatten when the samples are not vectors) otherwise.</summary>
    private void Reshaped(NodeProto node, int[] sample)
    {
        if (_shape.SequenceEqual(sample)) return;
        if (_shape.Count != 1) Add(node, () => new Flatten<T>());
        if (sample.Length > 1) Add(node, () => new Unflatten<T>(1, sample));
    }

    /// <summary>
    /// The sample shape that a Reshape gives samples of shape <paramref name="sample"/>, or null when it does not keep
    /// the batch. The first length keeps it when it is the batch's (read from the data's shape, or 0, which copies it),
    /// the batch length a fixed-batch export declares, or −1 with every other length given; later lengths may be 0 (copy
    /// the input's) and one of them −1 (the rest).
    /// </summary>
    private int[]? ReshapedSample(NodeProto node, IReadOnlyList<int> sample, out long?[] target)
    {
        Allowed(node, "allowzero");
        bool copies = Int(node, "allowzero", 0) == 0;
        target = ShapeValues(node, node.Inputs.Length > 1 ? node.Inputs[1] : "", DataInput(node), sample);
        if (target.Length < 2) return null;
        var lengths = new long[target.Length - 1];
        int rest = -1;
        long features = ShapeSize.Count(sample, int.MaxValue), given = 1;
        for (int d = 0; d < lengths.Length; d++)
        {
            long? length = target[d + 1] == 0 && copies && d < sample.Count ? sample[d] : target[d + 1];
            if (length == -1 && rest < 0) rest = d;
            else if (length is > 0 and <= int.MaxValue && (given *= length.Value) <= features) lengths[d] = length.Value;
            else return null;
        }
        bool keepsBatch = target[0] is null || (target[0] == 0 && copies) || target[0] == _declaredBatch || (target[0] == -1 && rest < 0);
        if (!keepsBatch) return null;
        if (rest >= 0)
        {
            if (features % given != 0) return null;
            lengths[rest] = features / given;
        }
        else if (given != features) return null;
        return [.. lengths.Select(length => (int)length)];
    }

    /// <summary>Builds a layer (turning a constructor's complaint into one about the node), checks it fits, and adds it.</summary>
    private ILayer<T> Add(NodeProto node, Func<ILayer<T>> create)
    {
        ILayer<T> layer;
        try
        {
            layer = create();
            _shape = layer.OutputShape(_shape);
        }
        catch (ArgumentException e)
        {
            throw Node(node, $"cannot be built: {e.Message}");
        }
        if (_shape.Any(length => length <= 0)) throw Node(node, $"would output samples of shape {Text(_shape)}");
        _layers.Add(layer);
        return layer;
    }

    private string DataInput(NodeProto node) => DataInputs(node).First();

    /// <summary>The inputs of <paramref name="node"/> that data flows through (not weights, constants or shapes), each as often as it appears.</summary>
    private IEnumerable<string> DataInputs(NodeProto node) => node.Inputs.Where(name => name.Length > 0 && !IsStatic(name));

    /// <summary>A tensor's values as T; its element type must be T's and its data exactly as long as its shape says.</summary>
    private T[] Values(NodeProto node, TensorProto tensor, string what)
    {
        int size = Marshal.SizeOf<T>();
        if (tensor.DataType != OnnxDataType.Of<T>())
            throw Node(node, $"has a {what} '{tensor.Name}' of {OnnxDataType.Name(tensor.DataType)}, not {typeof(T).Name}");
        long count = Count(node, tensor, what, Array.MaxLength / size);
        if (tensor.HasRawData)
        {
            if (tensor.RawData.Length != count * size)
                throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a {what} '{tensor.Name}' {Text(tensor.Dims)} with {tensor.RawData.Length} bytes of raw_data, expected {count * size}"));
            // ONNX stores raw_data little-endian, as the platforms .NET runs on are.
            return MemoryMarshal.Cast<byte, T>(tensor.RawData.Span).ToArray();
        }
        int typed = typeof(T) == typeof(float) ? tensor.FloatData.Length : tensor.DoubleData.Length;
        if (typed != count)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a {what} '{tensor.Name}' {Text(tensor.Dims)} with {typed} values, expected {count}"));
        return typeof(T) == typeof(float) ? (T[])(object)tensor.FloatData.ToArray() : (T[])(object)tensor.DoubleData.ToArray();
    }

    private long[] Int64Values(NodeProto node, TensorProto tensor)
    {
        if (tensor.DataType != OnnxDataType.Int64) throw Node(node, $"has a shape '{tensor.Name}' of {OnnxDataType.Name(tensor.DataType)}, not int64");
        long count = Count(node, tensor, "shape", MaxShapeLength);
        if (tensor.HasRawData)
        {
            if (tensor.RawData.Length != count * 8) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a shape '{tensor.Name}' with {tensor.RawData.Length} bytes of raw_data, expected {count * 8}"));
            return MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();
        }
        if (tensor.Int64Data.Length != count) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a shape '{tensor.Name}' with {tensor.Int64Data.Length} values, expected {count}"));
        return [.. tensor.Int64Data];
    }

    private long Count(NodeProto node, TensorProto tensor, string what, long limit)
    {
        if (tensor.DataLocation != 0) throw Node(node, $"keeps its {what} '{tensor.Name}' in an external file, which cannot be imported");
        long count = 1;
        foreach (long length in tensor.Dims)
        {
            if (length < 0) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a {what} '{tensor.Name}' with the negative dimension {length}"));
            count = length == 0 ? 0 : count > limit / length ? limit + 1 : count * length;
        }
        if (count > limit) throw Node(node, $"has a {what} '{tensor.Name}' {Text(tensor.Dims)}, more values than can be held");
        return count;
    }

    private int Length(NodeProto node, long value, int min) =>
        value >= min && value <= LayerSettings.MaxWindowLength ? (int)value
            : throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has a window length {value} outside [{min}, {LayerSettings.MaxWindowLength}]"));

    private void NoAttributes(NodeProto node) => Allowed(node);

    private void Allowed(NodeProto node, params string[] names)
    {
        foreach (var attribute in node.Attributes)
            if (Array.IndexOf(names, attribute.Name) < 0)
                throw Node(node, $"has the attribute '{attribute.Name}', which cannot be imported");
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attributes.FirstOrDefault(a => a.Name == name);

    private long Int(NodeProto node, string name, long absent) => Attribute(node, name) switch
    {
        null => absent,
        { Type: OnnxAttributeType.Int } a => a.I,
        var a => throw Node(node, $"has the attribute '{name}' of type {a.Type}, expected an integer"),
    };

    private float Float(NodeProto node, string name, float absent) => Attribute(node, name) switch
    {
        null => absent,
        { Type: OnnxAttributeType.Float } a => a.F,
        var a => throw Node(node, $"has the attribute '{name}' of type {a.Type}, expected a float"),
    };

    /// <summary>An INTS attribute of <paramref name="count"/> values; absent, <paramref name="fill"/> repeated (or an error when null).</summary>
    private long[] Ints(NodeProto node, string name, int count, long? fill) => Attribute(node, name) switch
    {
        null when fill is { } value => Enumerable.Repeat(value, count).ToArray(),
        null => throw Node(node, $"lacks the attribute '{name}'"),
        { Type: OnnxAttributeType.Ints } a when a.Ints.Length == count => [.. a.Ints],
        var a => throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has the attribute '{name}' = {Text(a.Ints)}; expected {count} integers (a 2-D window)")),
    };

    /// <summary>
    /// The shortest decimal that rounds to <paramref name="value"/>: a float attribute or weight 0.01f stands for 0.01,
    /// not 0.009999999776, and rounds back to the same float; a double is itself.
    /// </summary>
    private static double Decimal<TValue>(TValue value) where TValue : IFloatingPointIeee754<TValue> =>
        double.Parse(value.ToString(null, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Encoding(AttributeProto attribute) => System.Text.Encoding.UTF8.GetString(attribute.S.Span);

    private static string Describe(NodeProto node) => $"'{node.Name}' ({node.OpType})";

    private InvalidDataException Node(NodeProto node, string problem) => new($"{_file}: node {Describe(node)} {problem}.");

    private static string Text<TValue>(IEnumerable<TValue> values) where TValue : IFormattable =>
        "[" + string.Join(", ", values.Select(v => v.ToString(null, CultureInfo.InvariantCulture))) + "]";
}
