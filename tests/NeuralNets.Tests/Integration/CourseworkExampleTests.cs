using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Integration;

/// <summary>A student's activation (subclassing Activation) checked by finite differences; NeuralNets.Testing builds its coursework kit on the same check.</summary>
public class CourseworkExampleTests
{
    private sealed class StudentSwish : Activation<double>
    {
        public override string Kind => "StudentSwish";

        // swish(x) = x·σ(x)
        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Exp(-x[i]));
        }

        // swish′(x) = σ(x) + x·σ(x)(1 − σ(x)), with a deliberate slip when Broken is set
        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double s = 1 / (1 + Math.Exp(-x[i]));
                dx[i] = dy[i] * (Broken ? s : s + x[i] * s * (1 - s));
            }
        }

        public bool Broken { get; init; }
    }

    private static Tensor<double> Input() => Tensor.Create(new double[] { -1.5, -0.2, 0.3, 2.0, 0.7, -0.9 }, [2, 3]);

    [Fact]
    public void GradientCheck_CorrectStudentLayer_Passes()
    {
        var result = GradientCheck.Layer(new StudentSwish(), Input());
        result.Passed(1e-6).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void GradientCheck_StudentLayerWithASlip_FailsAndSaysWhere()
    {
        var result = GradientCheck.Layer(new StudentSwish { Broken = true }, Input());
        result.Passed(1e-6).Should().BeFalse();
        result.Where.Should().Be("input");
        result.ToString().Should().Contain("max relative error");
    }
}
