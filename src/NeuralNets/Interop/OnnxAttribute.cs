using System.Globalization;

namespace NeuralNets.Interop;

/// <summary>An attribute of an ONNX node written by an <see cref="OnnxLayerMapping"/>, e.g. <c>transB = 1</c> or <c>pads = [2, 2, 2, 2]</c>.</summary>
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute's name, as the operator's specification spells it.</summary>
    public string Name => _proto.Name;

    /// <summary>An integer attribute (ONNX type INT).</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = Checked(name), Type = OnnxAttributeType.Int, I = value });

    /// <summary>A list of integers (ONNX type INTS), e.g. <c>kernel_shape</c>.</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new AttributeProto { Name = Checked(name), Type = OnnxAttributeType.Ints, Ints = [.. values] });
    }

    /// <summary>A 32-bit float attribute (ONNX type FLOAT), e.g. <c>alpha</c>.</summary>
    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = Checked(name), Type = OnnxAttributeType.Float, F = value });

    internal AttributeProto Proto => _proto;

    /// <summary>Prints like <c>pads=[2, 2, 2, 2]</c>.</summary>
    public override string ToString() => _proto.Type switch
    {
        OnnxAttributeType.Int => $"{Name}={_proto.I.ToString(CultureInfo.InvariantCulture)}",
        OnnxAttributeType.Float => $"{Name}={_proto.F.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Name}=[{string.Join(", ", _proto.Ints.Select(i => i.ToString(CultureInfo.InvariantCulture)))}]",
    };

    private static string Checked(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}
