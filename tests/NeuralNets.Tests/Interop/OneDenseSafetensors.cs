using System.Buffers.Binary;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>A safetensors file for a network of one Dense(1 → 1): its header and two F64 values, written by hand.</summary>
internal static class OneDenseSafetensors
{
    public const string Header = """{"0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"0.bias":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}""";

    public static Sequential<T> Net<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1]).Dense(1).Build(seed: 5);

    /// <summary>A file of <paramref name="header"/>'s bytes and two F64 values.</summary>
    public static byte[] File(byte[] header, double weight, double bias)
    {
        var bytes = new byte[8 + header.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 + header.Length), weight);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(16 + header.Length), bias);
        return bytes;
    }
}
