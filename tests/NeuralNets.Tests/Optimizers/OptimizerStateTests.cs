using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>State by parameter name: read, reset, exported and imported (all or nothing).</summary>
public class OptimizerStateTests
{
    private static Quadratic<double> Other() => new([3, 0.5, 7], [2, -2, 1], [-0.3, 0.8, 0.1], "other");

    [Fact]
    public void State_AfterTwoAdamSteps_HoldsTheMomentsByPyTorchsNames()
    {
        var q = Quadratic<double>.IllConditioned();
        var adam = new Adam<double>([q.W], learningRate: 0.05, beta1: 0.8, beta2: 0.9);
        adam.Step(q.Evaluate);
        adam.Step(q.Evaluate);

        // m₂ = β1·(1 − β1)·g₀ + (1 − β1)·g₁, v₂ likewise with g², from the gradients at the two evaluated points.
        var g0 = q.Gradient(q.Evaluated[0]);
        var g1 = q.Gradient(q.Evaluated[1]);
        var state = adam.State["w"];
        state.Step.Should().Be(2);
        state.BufferNames.Should().Equal("exp_avg", "exp_avg_sq");
        state["exp_avg"].ToArray().ShouldBeCloseTo(g0.Select((g, i) => 0.8 * 0.2 * g + 0.2 * g1[i]).ToArray(), 1e-15);
        state["exp_avg_sq"].ToArray().ShouldBeCloseTo(g0.Select((g, i) => 0.9 * 0.1 * g * g + 0.1 * g1[i] * g1[i]).ToArray(), 1e-15);
        state.HasBuffer("max_exp_avg_sq").Should().BeFalse("AMSGrad is off");
    }

    [Fact]
    public void State_BeforeFirstStep_IsEmptyAndSaysWhy()
    {
        var adam = new Adam<double>([new Parameter<double>("0.weight", 2, 3)]);
        var state = adam.State["0.weight"];
        (state.Step, state.BufferNames.Count).Should().Be((0L, 0));
        var read = () => adam.State["0.weight"]["exp_avg"].Length;
        read.Should().Throw<KeyNotFoundException>().WithMessage("*'0.weight'*'exp_avg'*first update*");
        var missing = () => adam.State["1.weight"];
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*'1.weight'*[0.weight]*");
    }

    [Fact]
    public void Reset_All_NextStepsEqualAFreshOptimizerFromTheSameWeights()
    {
        var q = Quadratic<double>.IllConditioned();
        var adam = new Adam<double>([q.W], learningRate: 0.05);
        for (int t = 0; t < 3; t++) adam.Step(q.Evaluate);
        var afterThree = q.Values;
        adam.Reset();
        adam.State["w"].Step.Should().Be(0);
        adam.Step(q.Evaluate);
        adam.Step(q.Evaluate);

        var fresh = new Quadratic<double>([1, 10, 100], [-1, 0.5, 2], afterThree);
        var reference = new Adam<double>([fresh.W], learningRate: 0.05);
        reference.Step(fresh.Evaluate);
        reference.Step(fresh.Evaluate);
        q.Values.Should().Equal(fresh.Values);
    }

    [Fact]
    public void Reset_OneParameter_LeavesTheOthersState()
    {
        var q = Quadratic<double>.IllConditioned();
        var other = Other();
        var momentum = new Momentum<double>([q.W, other.W], learningRate: 0.01);
        momentum.Step(() => q.Evaluate() + other.Evaluate());
        var kept = momentum.State["other"]["velocity"].ToArray();

        momentum.Reset("w");

        momentum.State["w"].Step.Should().Be(0);
        momentum.State["w"].HasBuffer("velocity").Should().BeFalse();
        momentum.State["other"]["velocity"].ToArray().Should().Equal(kept);
        momentum.State["other"].Step.Should().Be(1);
    }

    [Fact]
    public void ImportState_MomentumOfTheOtherConvention_FailsNamingTheBuffer()
    {
        // v = η·b and b are different numbers: a state saved in one convention must not resume in the other.
        var q = Quadratic<double>.IllConditioned();
        var pyTorch = new Momentum<double>([q.W], learningRate: 0.01, convention: MomentumConvention.PyTorch);
        pyTorch.Step(q.Evaluate);
        var lecture = new Momentum<double>([Quadratic<double>.IllConditioned().W], learningRate: 0.01);

        var act = () => lecture.ImportState(pyTorch.ExportState());

        pyTorch.State["w"].HasBuffer("momentumBuffer").Should().BeTrue();
        act.Should().Throw<ArgumentException>().WithMessage("*'momentumBuffer'*");
    }

    [Fact]
    public void Momentum_UndefinedConvention_FailsNamingIt()
    {
        var act = () => new Momentum<double>([Quadratic<double>.IllConditioned().W], learningRate: 0.01, convention: (MomentumConvention)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*convention is 7*Lecture or PyTorch*");
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.AllElementwise), MemberType = typeof(OptimizerCatalog))]
    public void ExportImport_IntoFreshObjects_ResumesBitForBit(string name)
    {
        // Six steps straight against three, export, new parameters and optimizer, import, three more.
        var straight = (Quadratic<float>.IllConditioned(), Quadratic<float>.IllConditioned("other"));
        var straightOptimizer = OptimizerCatalog.Create(name, [straight.Item1.W, straight.Item2.W]);
        for (int t = 0; t < 6; t++) straightOptimizer.Step(() => straight.Item1.Evaluate() + straight.Item2.Evaluate());

        var first = (Quadratic<float>.IllConditioned(), Quadratic<float>.IllConditioned("other"));
        var firstOptimizer = OptimizerCatalog.Create(name, [first.Item1.W, first.Item2.W]);
        for (int t = 0; t < 3; t++) firstOptimizer.Step(() => first.Item1.Evaluate() + first.Item2.Evaluate());
        var snapshot = firstOptimizer.ExportState();

        var second = (new Quadratic<float>([1, 10, 100], [-1, 0.5, 2], first.Item1.Values), new Quadratic<float>([1, 10, 100], [-1, 0.5, 2], first.Item2.Values, "other"));
        var secondOptimizer = OptimizerCatalog.Create(name, [second.Item1.W, second.Item2.W]);
        secondOptimizer.ImportState(snapshot);
        for (int t = 0; t < 3; t++) secondOptimizer.Step(() => second.Item1.Evaluate() + second.Item2.Evaluate());

        second.Item1.Values.Should().Equal(straight.Item1.Values);
        second.Item2.Values.Should().Equal(straight.Item2.Values);
        snapshot.Parameters.Select(p => p.Step).Should().Equal(3L, 3L);
        snapshot.Kind.Should().Be(straightOptimizer.GetType().Name[..^2]);
    }

    [Fact]
    public void ExportState_Adam_IsPlainDataWithHyperparametersAndShapes()
    {
        var p = new Parameter<float>("0.weight", 2, 3);
        p.GradientSpan.Fill(0.5f);
        var adam = new Adam<float>([p], learningRate: 0.01, amsgrad: true);
        adam.Step(() => 0f);

        var snapshot = adam.ExportState();

        (snapshot.Kind, snapshot.ElementType).Should().Be(("Adam", "Single"));
        snapshot.Hyperparameters.Should().Equal(new Dictionary<string, double>
        {
            ["learningRate"] = 0.01, ["beta1"] = 0.9, ["beta2"] = 0.999, ["epsilon"] = 1e-8, ["weightDecay"] = 0, ["amsgrad"] = 1,
        });
        var state = snapshot.Parameters.Should().ContainSingle().Subject;
        (state.Name, state.Step).Should().Be(("0.weight", 1L));
        state.Shape.Should().Equal(2, 3);
        state.Buffers.Keys.Should().Equal("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        state.Buffers["exp_avg"].Should().AllSatisfy(m => m.Should().Be((double)((1f - 0.9f) * 0.5f), "m₁ = (1 − β1)·g in float"));
    }

    public static TheoryData<string, Func<OptimizerSnapshot, OptimizerSnapshot>, string> Mismatches => new()
    {
        { "kind", s => With(s, kind: "AdamW"), "*of AdamW*this optimizer is Adam*" },
        { "element type", s => With(s, elementType: "Double"), "*Double*element type is Single*" },
        { "missing parameter", s => With(s, parameters: [s.Parameters[0], Renamed(s.Parameters[1], "2.bias")]), "*no state for parameter 'other'*" },
        { "shape", s => With(s, parameters: [s.Parameters[0], Reshaped(s.Parameters[1], [1, 3])]), "*'other' the shape [1, 3]*has [3]*" },
        { "buffer length", s => With(s, parameters: [s.Parameters[0], WithBuffer(s.Parameters[1], "exp_avg", new double[2])]), "*'exp_avg' of parameter 'other' holds 2 values*has 3*" },
        { "unknown buffer", s => With(s, parameters: [s.Parameters[0], WithBuffer(s.Parameters[1], "velocity", new double[3])]), "*'velocity'*which Adam does not keep*exp_avg*" },
        { "unknown hyperparameter", s => With(s, hyperparameters: WithValue(s.Hyperparameters, "nesterov", 1)), "*'nesterov'*Adam does not have*" },
        { "flag not 0 or 1", s => With(s, hyperparameters: WithValue(s.Hyperparameters, "amsgrad", 0.5)), "*'amsgrad' is 0.5*" },
        { "hyperparameter out of range", s => With(s, hyperparameters: WithValue(WithValue(s.Hyperparameters, "learningRate", 0.5), "beta1", 1)), "beta1 must lie in ?0, 1)*but was 1*" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ImportState_Mismatch_ThrowsNamingItAndChangesNothing(string what, Func<OptimizerSnapshot, OptimizerSnapshot> spoil, string message)
    {
        var (q, other) = (Quadratic<float>.IllConditioned(), Quadratic<float>.IllConditioned("other"));
        var source = new Adam<float>([q.W, other.W], learningRate: 0.05);
        for (int t = 0; t < 2; t++) source.Step(() => q.Evaluate() + other.Evaluate());
        var snapshot = spoil(source.ExportState());

        var (q2, other2) = (Quadratic<float>.IllConditioned(), Quadratic<float>.IllConditioned("other"));
        var target = new Adam<float>([q2.W, other2.W], learningRate: 0.02, beta1: 0.7);
        target.Step(() => q2.Evaluate() + other2.Evaluate());
        var before = target.ExportState();

        target.Invoking(t => t.ImportState(snapshot)).Should().Throw<ArgumentException>(what).WithMessage(message);

        var after = target.ExportState();
        after.Hyperparameters.Should().Equal(before.Hyperparameters, "a refused import changes no hyperparameter");
        for (int i = 0; i < 2; i++)
        {
            after.Parameters[i].Step.Should().Be(before.Parameters[i].Step);
            foreach (var (bufferName, values) in before.Parameters[i].Buffers) after.Parameters[i].Buffers[bufferName].Should().Equal(values);
        }
    }

    [Fact]
    public void ExportState_OfAnOptimizerWithout_IsNotSupported_NamingIt()
    {
        var q = Quadratic<double>.IllConditioned();
        IOptimizer<double> plain = new StatelessSgd<double>([q.W]);
        plain.Invoking(o => o.ExportState()).Should().Throw<NotSupportedException>().WithMessage("*StatelessSgd*");
        plain.Invoking(o => o.ImportState(new Sgd<double>([q.W], 0.1).ExportState())).Should().Throw<NotSupportedException>();
    }

    /// <summary>An optimizer written without state methods, as a user's might be.</summary>
    internal sealed class StatelessSgd<T>(IReadOnlyList<Parameter<T>> parameters) : IOptimizer<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public IReadOnlyList<Parameter<T>> Parameters => parameters;

        public double LearningRate { get; set; } = 0.1;

        public T Step(Func<T> evaluate)
        {
            T loss = evaluate();
            foreach (var p in parameters)
                for (int i = 0; i < p.Length; i++) p.ValueSpan[i] -= T.CreateChecked(LearningRate) * p.GradientSpan[i];
            return loss;
        }
    }

    private static OptimizerSnapshot With(OptimizerSnapshot s, string? kind = null, string? elementType = null,
        IReadOnlyDictionary<string, double>? hyperparameters = null, IReadOnlyList<ParameterStateSnapshot>? parameters = null) =>
        new(kind ?? s.Kind, elementType ?? s.ElementType, hyperparameters ?? s.Hyperparameters, parameters ?? s.Parameters);

    private static ParameterStateSnapshot Renamed(ParameterStateSnapshot p, string name) => new(name, p.Shape, p.Step, p.Buffers, p.Scalars);

    private static ParameterStateSnapshot Reshaped(ParameterStateSnapshot p, int[] shape) => new(p.Name, shape, p.Step, p.Buffers, p.Scalars);

    private static ParameterStateSnapshot WithBuffer(ParameterStateSnapshot p, string name, double[] values) =>
        new(p.Name, p.Shape, p.Step, new Dictionary<string, double[]>(p.Buffers) { [name] = values }, p.Scalars);

    private static Dictionary<string, double> WithValue(IReadOnlyDictionary<string, double> values, string name, double value) =>
        new(values) { [name] = value };
}
