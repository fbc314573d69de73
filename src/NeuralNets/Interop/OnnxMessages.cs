using System.Globalization;
using System.Text;

namespace NeuralNets.Interop;

// The parts of ONNX's protobuf schema (onnx/onnx.proto3) that export and import use, as plain classes.
// Field numbers live in OnnxEncoder and OnnxDecoder; fields not listed here are skipped when read.
// Repeated fields of the messages a graph holds many of (tensors, nodes, attributes) are arrays, empty ones shared
// (Array.Empty): a file of many small messages must not cost several lists for each.

/// <summary>ONNX's <c>TensorProto.DataType</c> values that NeuralNets reads or writes.</summary>
internal static class OnnxDataType
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Double = 11;

    /// <summary>The data type of <typeparamref name="T"/>'s tensors.</summary>
    public static int Of<T>() => typeof(T) == typeof(float) ? Float : typeof(T) == typeof(double) ? Double
        : throw new NotSupportedException($"ONNX export and import support float and double, not {typeof(T).Name}.");

    /// <summary>The type's name in messages.</summary>
    public static string Name(long dataType) => dataType switch
    {
        Float => "float", Int64 => "int64", Double => "double", 10 => "float16", 16 => "bfloat16", Int32 => "int32", Bool => "bool",
        _ => string.Create(CultureInfo.InvariantCulture, $"data type {dataType}"),
    };
}

/// <summary>ONNX's <c>AttributeProto.AttributeType</c> values used here.</summary>
internal enum OnnxAttributeType
{
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
}

/// <summary>A tensor: an initializer, or a <c>Constant</c> node's value.</summary>
internal sealed class TensorProto
{
    public string Name = "";
    public long DataType;
    public long[] Dims = [];
    public ReadOnlyMemory<byte> RawData;
    public bool HasRawData;
    public float[] FloatData = [];
    public double[] DoubleData = [];
    public long[] Int64Data = [];
    public long DataLocation;
}

/// <summary>A node's attribute; <see cref="Type"/> says which value field holds it.</summary>
internal sealed class AttributeProto
{
    public string Name = "";
    public OnnxAttributeType Type;
    public float F;
    public long I;
    public ReadOnlyMemory<byte> S;
    public TensorProto? T;
    public float[] Floats = [];
    public long[] Ints = [];
}

/// <summary>One operator application.</summary>
internal sealed class NodeProto
{
    public string Name = "";
    public string OpType = "";
    public string Domain = "";
    public string[] Inputs = [];
    public string[] Outputs = [];
    public AttributeProto[] Attributes = [];
}

/// <summary>One dimension of a shape: a number, or a symbol such as <c>batch</c>.</summary>
internal readonly record struct Dimension(long Value, string? Symbol)
{
    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}

/// <summary>A named graph input or output with its element type and shape.</summary>
internal sealed class ValueInfoProto
{
    public string Name = "";
    public long ElementType;
    public bool HasShape;
    public List<Dimension> Shape = [];
}

/// <summary>The computation: nodes in order, weights as initializers, and the graph's inputs and outputs.</summary>
internal sealed class GraphProto
{
    public string Name = "";
    public List<NodeProto> Nodes = [];
    public List<TensorProto> Initializers = [];
    public List<ValueInfoProto> Inputs = [];
    public List<ValueInfoProto> Outputs = [];
}

/// <summary>The file: IR version, operator sets and the graph.</summary>
internal sealed class ModelProto
{
    public long IrVersion;
    public List<(string Domain, long Version)> OperatorSets = [];
    public string ProducerName = "";
    public string ProducerVersion = "";
    public GraphProto? Graph;
}
