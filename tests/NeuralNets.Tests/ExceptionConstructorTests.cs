using NeuralNets.Layers;
using NeuralNets.Training;

namespace NeuralNets.Tests;

/// <summary>Every public exception type has the three constructors .NET's design guidelines ask for.</summary>
public class ExceptionConstructorTests
{
    public static TheoryData<Type> PublicExceptions => new(typeof(Parameter<>).Assembly.GetExportedTypes()
        .Where(t => typeof(Exception).IsAssignableFrom(t)).OrderBy(t => t.FullName));

    [Fact]
    public void PublicExceptions_AreTheKnownOnes()
    {
        PublicExceptions.Select(row => row.Data).Should().BeEquivalentTo([typeof(ShapeMismatchException), typeof(TrainingDivergedException)]);
    }

    [Theory]
    [MemberData(nameof(PublicExceptions))]
    public void StandardConstructors_Exist_AndKeepMessageAndInner(Type type)
    {
        var plain = (Exception)Activator.CreateInstance(type)!;
        plain.Message.Should().NotBeNullOrWhiteSpace();
        ((Exception)Activator.CreateInstance(type, "custom")!).Message.Should().Be("custom");
        var inner = new InvalidOperationException("cause");
        var wrapped = (Exception)Activator.CreateInstance(type, "outer", inner)!;
        (wrapped.Message, wrapped.InnerException).Should().Be(("outer", inner));
    }
}
