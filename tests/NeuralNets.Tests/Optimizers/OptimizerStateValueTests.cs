using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// ImportState refuses state values no run could have produced: a value that is not finite in the element type, or a
/// negative one in a buffer of squares (a sum or an average of them). Nothing changes then.
/// </summary>
public class OptimizerStateValueTests
{
    /// <summary>An optimizer over a float quadratic after three steps, so that every buffer it uses exists.</summary>
    private static (IOptimizer<float> Optimizer, OptimizerSnapshot State) Stepped(string name)
    {
        var q = Quadratic<float>.IllConditioned();
        var optimizer = OptimizerCatalog.Create(name, [q.W]);
        for (int t = 0; t < 3; t++) optimizer.Step(q.Evaluate);
        return (optimizer, optimizer.ExportState());
    }

    /// <summary>The snapshot with element 0 of one buffer (of the only parameter) replaced.</summary>
    private static OptimizerSnapshot WithBufferValue(OptimizerSnapshot snapshot, string buffer, double value)
    {
        var p = snapshot.Parameters[0];
        var buffers = p.Buffers.ToDictionary(b => b.Key, b => b.Value.ToArray());
        buffers[buffer][0] = value;
        return new OptimizerSnapshot(snapshot.Kind, snapshot.ElementType, snapshot.Hyperparameters,
            [new ParameterStateSnapshot(p.Name, p.Shape, p.Step, buffers, p.Scalars)], snapshot.Scalars);
    }

    private static OptimizerSnapshot WithScalar(OptimizerSnapshot snapshot, string scalar, double value)
    {
        var p = snapshot.Parameters[0];
        var scalars = p.Scalars.ToDictionary();
        scalars[scalar] = value;
        return new OptimizerSnapshot(snapshot.Kind, snapshot.ElementType, snapshot.Hyperparameters,
            [new ParameterStateSnapshot(p.Name, p.Shape, p.Step, p.Buffers, scalars)], snapshot.Scalars);
    }

    [Theory]
    [InlineData("Adam", "exp_avg_sq", -1.0)]
    [InlineData("AdamW", "exp_avg_sq", -1.0)]
    [InlineData("AdamAmsgrad", "max_exp_avg_sq", -1.0)]
    [InlineData("Nadam", "exp_avg_sq", -1.0)]
    [InlineData("Adagrad", "sum", -1.0)]
    [InlineData("Adadelta", "square_avg", -1.0)]
    [InlineData("Adadelta", "acc_delta", -1.0)]
    [InlineData("RmsProp", "square_avg", -1.0)]
    [InlineData("Adam", "exp_avg", double.NaN)]
    [InlineData("Adam", "exp_avg_sq", double.PositiveInfinity)]
    [InlineData("Adam", "exp_avg", 1e300)]
    [InlineData("Momentum", "velocity", double.NegativeInfinity)]
    [InlineData("Nesterov", "velocity", double.NaN)]
    [InlineData("RmsPropCenteredMomentum", "grad_avg", double.NaN)]
    [InlineData("RmsPropCenteredMomentum", "momentum_buffer", 1e39)]
    public void ImportState_ImpossibleBufferValue_ThrowsNamingItAndChangesNothing(string name, string buffer, double value)
    {
        var (optimizer, state) = Stepped(name);
        var before = optimizer.ExportState().Parameters[0].Buffers[buffer].ToArray();

        var act = () => optimizer.ImportState(WithBufferValue(state, buffer, value));

        act.Should().Throw<ArgumentException>().WithMessage($"*'{buffer}'*'w'*").Which.ParamName.Should().Be("snapshot");
        optimizer.ExportState().Parameters[0].Buffers[buffer].Should().Equal(before);
    }

    [Theory]
    [InlineData("Adam", "exp_avg")]
    [InlineData("Momentum", "velocity")]
    [InlineData("RmsPropCenteredMomentum", "grad_avg")]
    [InlineData("RmsPropCenteredMomentum", "momentum_buffer")]
    public void ImportState_NegativeValueInABufferThatMayBeNegative_IsAccepted(string name, string buffer)
    {
        var (optimizer, state) = Stepped(name);

        optimizer.ImportState(WithBufferValue(state, buffer, -1));

        optimizer.ExportState().Parameters[0].Buffers[buffer][0].Should().Be(-1);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ImportState_NonFiniteScalar_Throws(double value)
    {
        var (optimizer, state) = Stepped("Nadam");

        var act = () => optimizer.ImportState(WithScalar(state, "mu_product", value));

        act.Should().Throw<ArgumentException>().WithMessage("*'mu_product'*'w'*");
    }
}
