using NeuralNets.Interop;

namespace NeuralNets.Tests.Interop;

public class ProtoCodecTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(300L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Int64_WrittenAndRead_RoundTrips(long value)
    {
        var bytes = new ProtoWriter().Int64(3, value).Written.ToArray();
        var reader = new ProtoReader(bytes, "test");

        reader.NextField(out int field).Should().BeTrue();
        field.Should().Be(3);
        reader.Int64("i").Should().Be(value);
        reader.NextField(out _).Should().BeFalse();
    }

    [Fact]
    public void Int64_NegativeValue_TakesTenBytesAsTheFormatRequires() =>
        new ProtoWriter().Int64(1, -1).Written.Length.Should().Be(1 + 10);

    [Fact]
    public void Int64s_PackedAndUnpacked_BothRead()
    {
        var bytes = new ProtoWriter().PackedInt64(1, [5, -2, 1L << 40]).Int64(1, 7).Written.ToArray();
        var reader = new ProtoReader(bytes, "test");
        var values = new List<long>();

        while (reader.NextField(out _)) reader.Int64s("dims", values);

        values.Should().Equal(5, -2, 1L << 40, 7);
    }

    [Fact]
    public void Message_NestedBeyondTheLimit_Fails()
    {
        var innermost = new ProtoWriter().Int64(1, 1);
        for (int depth = 0; depth <= ProtoReader.MaxDepth; depth++) innermost = new ProtoWriter().Message(1, innermost);
        var reader = new ProtoReader(innermost.Written.ToArray(), "test");

        var act = () =>
        {
            for (int depth = 0; depth <= ProtoReader.MaxDepth; depth++)
            {
                reader.NextField(out _);
                reader = reader.Message("m", "m");
            }
        };

        act.Should().Throw<InvalidDataException>().WithMessage("*nests messages more than 16 deep*");
    }

    [Fact]
    public void Floats_PackedOfWrongLength_FailsNamingTheField()
    {
        var bytes = new ProtoWriter().Bytes(4, [1, 2, 3, 4, 5]).Written.ToArray();
        var reader = new ProtoReader(bytes, "'t'");
        reader.NextField(out _);

        var act = () => reader.Floats("float_data", []);

        act.Should().Throw<InvalidDataException>().WithMessage("'t': packed field 'float_data' holds 5 bytes, not a whole number of floats.");
    }
}
