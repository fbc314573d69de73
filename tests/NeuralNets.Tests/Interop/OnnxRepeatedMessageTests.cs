using NeuralNets.Interop;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// A file of nothing but small repeated messages (empty initializers, nodes, inputs, attributes, or ones holding a single
/// one-letter name) must cost the reader no more than any other hostile file: the bound of <see cref="Allocation.Bound"/>.
/// Each message is a few bytes, so what the reader keeps or builds per message is what decides.
/// </summary>
public class OnnxRepeatedMessageTests
{
    // About a megabyte of repeats: past the bound's fixed 4 MB, a per-message cost of 64 times the message shows.
    private const int FileBytes = 1 << 20;

    public static TheoryData<string, byte[], bool> Floods => new()
    {
        // Graph fields: 1 node, 5 initializer, 11 input, 12 output; inside a node, 5 attribute.
        { "empty initializers", [0x2A, 0x00], false },
        { "empty nodes", [0x0A, 0x00], false },
        { "empty inputs", [0x5A, 0x00], false },
        { "empty outputs", [0x62, 0x00], false },
        { "empty attributes", [0x2A, 0x00], true },
        // The least each message can say and still be valid on its own.
        { "initializers named 'a' of type float", [0x2A, 0x05, 0x42, 0x01, (byte)'a', 0x10, 0x01], false },
        { "nodes of op_type 'X'", [0x0A, 0x03, 0x22, 0x01, (byte)'X'], false },
        { "inputs named 'a'", [0x5A, 0x03, 0x0A, 0x01, (byte)'a'], false },
        { "attributes named 'a'", [0x2A, 0x03, 0x0A, 0x01, (byte)'a'], true },
        { "node inputs named 'a'", [0x0A, 0x01, (byte)'a'], true },
        { "initializers named 'a' with one dimension", [0x2A, 0x08, 0x42, 0x01, (byte)'a', 0x10, 0x01, 0x08, 0x01], false },
    };

    [Theory]
    [MemberData(nameof(Floods))]
    public void Load_FileOfRepeatedSmallMessages_AllocatesWithinTheBound(string what, byte[] message, bool insideOneNode)
    {
        byte[] bytes = Flood(message, FileBytes / message.Length, insideOneNode);

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'flood.onnx'"));

        if (error is not null) error.Should().BeOfType<InvalidDataException>(what);
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length), $"{what}: {bytes.Length} bytes");
    }

    [Theory]
    [InlineData(new byte[] { 0x2A, 0x00 }, "initializer 1: has no name*")]
    [InlineData(new byte[] { 0x0A, 0x00 }, "node 1: has no op_type*")]
    [InlineData(new byte[] { 0x5A, 0x00 }, "input 1: has no name*")]
    [InlineData(new byte[] { 0x62, 0x00 }, "output 1: has no name*")]
    public void Load_EmptyGraphMessage_FailsNamingItAsSoonAsItEnds(byte[] message, string expected)
    {
        // A valid message of the same field first, so that the message named is the second one.
        byte[] valid = message[0] switch
        {
            0x2A => [0x2A, 0x05, 0x42, 0x01, (byte)'w', 0x10, 0x01],
            0x0A => [0x0A, 0x03, 0x22, 0x01, (byte)'X'],
            _ => [message[0], 0x03, 0x0A, 0x01, (byte)'x'],
        };
        byte[] bytes = Graph([.. valid, .. message]);

        var act = () => OnnxFile.FromBytes<float>(bytes, "'empty.onnx'");

        act.Should().Throw<InvalidDataException>().WithMessage("'empty.onnx': ModelProto > graph > " + expected);
    }

    [Fact]
    public void Load_EmptyAttribute_FailsNamingTheNodeAndTheAttribute()
    {
        // Node 0: op_type 'X', then attribute 0 empty.
        byte[] bytes = Graph([0x0A, 0x05, 0x22, 0x01, (byte)'X', 0x2A, 0x00]);

        var act = () => OnnxFile.FromBytes<float>(bytes, "'empty.onnx'");

        act.Should().Throw<InvalidDataException>().WithMessage("'empty.onnx': ModelProto > graph > node 0 > attribute 0: has no name*");
    }

    /// <summary>A model whose graph holds <paramref name="count"/> copies of <paramref name="message"/>, or one node holding them.</summary>
    private static byte[] Flood(byte[] message, int count, bool insideOneNode)
    {
        var repeated = new byte[message.Length * count];
        for (int i = 0; i < count; i++) message.CopyTo(repeated, i * message.Length);
        // A node needs an op_type to be read at all: 'X' first, then the repeats.
        return Graph(insideOneNode ? Field(0x0A, [0x22, 0x01, (byte)'X', .. repeated]) : repeated);
    }

    private static byte[] Graph(byte[] content) => Field(0x3A, content);

    private static byte[] Field(byte tag, byte[] content)
    {
        var bytes = new List<byte>(content.Length + 6) { tag };
        for (ulong length = (ulong)content.Length; ; length >>= 7)
        {
            if (length < 0x80)
            {
                bytes.Add((byte)length);
                break;
            }
            bytes.Add((byte)(length | 0x80));
        }
        bytes.AddRange(content);
        return [.. bytes];
    }
}
