using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>L-BFGS's state as plain data: read, reset, exported and imported so that a run resumes bit for bit.</summary>
public class LbfgsStateTests
{
    private static Lbfgs<double> Create(Rosenbrock<double> f) => new([f.P], maxIterations: 2, maxEvaluations: 10, historySize: 3);

    [Fact]
    public void ExportThenImport_IntoFreshObjects_ContinuesBitForBit()
    {
        var straight = new Rosenbrock<double>();
        var optimizer = Create(straight);
        // Five steps of two iterations fill the three slots and wrap the ring, so the oldest pair is not in slot 0.
        for (int step = 0; step < 5; step++) optimizer.Step(straight.Evaluate);
        optimizer.StoredPairs.Should().Be(3);
        var snapshot = optimizer.ExportState();
        double[] point = straight.P.ValueSpan.ToArray();

        var resumed = new Rosenbrock<double>();
        resumed.P.SetValue(point);
        var fresh = Create(resumed);
        fresh.ImportState(snapshot);
        (fresh.StoredPairs, fresh.Steps, fresh.Iterations).Should().Be((optimizer.StoredPairs, optimizer.Steps, optimizer.Iterations));

        var control = new Rosenbrock<double>();
        control.P.SetValue(point);
        var forgetful = Create(control);
        for (int step = 0; step < 4; step++)
        {
            optimizer.Step(straight.Evaluate);
            fresh.Step(resumed.Evaluate);
            forgetful.Step(control.Evaluate);
        }
        resumed.P.ValueSpan.ToArray().Should().Equal(straight.P.ValueSpan.ToArray());
        control.P.ValueSpan.ToArray().Should().NotEqual(straight.P.ValueSpan.ToArray(), "without the pairs the run starts from steepest descent again");
    }

    [Fact]
    public void ExportState_HoldsThePairsOldestFirst_WithRhoAndCounts()
    {
        var f = new Rosenbrock<double>();
        var optimizer = Create(f);
        optimizer.Step(f.Evaluate);
        var snapshot = optimizer.ExportState();
        int pairs = (int)snapshot.Scalars["pairs"];
        pairs.Should().BeInRange(1, 2);
        snapshot.Scalars["iterations"].Should().Be(optimizer.Iterations);
        var p = snapshot.Parameters.Single();
        (p.Name, p.Step).Should().Be(("xy", 1L));
        p.Buffers.Keys.Should().BeEquivalentTo(Enumerable.Range(0, pairs).SelectMany(k => new[] { $"s{k}", $"y{k}" }).Append("lastStep").Append("lastGradient"));
        snapshot.Scalars["hessianScale"].Should().BeGreaterThan(0);
        for (int k = 0; k < pairs; k++)
        {
            double ys = p.Buffers[$"s{k}"][0] * p.Buffers[$"y{k}"][0] + p.Buffers[$"s{k}"][1] * p.Buffers[$"y{k}"][1];
            snapshot.Scalars[$"rho{k}"].Should().BeApproximately(1 / ys, 1e-12 / ys, "ρ = 1/(y·s)");
        }
        snapshot.Hyperparameters["historySize"].Should().Be(3);
    }

    [Fact]
    public void Reset_ForgetsPairsAndCounts()
    {
        var f = new Rosenbrock<double>();
        var optimizer = Create(f);
        optimizer.Step(f.Evaluate);
        optimizer.Reset();
        (optimizer.StoredPairs, optimizer.Steps, optimizer.Iterations).Should().Be((0, 0L, 0L));
        optimizer.ExportState().Parameters.Single().Buffers.Should().BeEmpty();
    }

    public static TheoryData<string, string> Damaged => new()
    {
        { "kind", "*snapshot is of Adam*" },
        { "historySize", "*historySize = 5*built with 3*" },
        { "pairs", "*'pairs' is 4*whole number in [0, 3]*" },
        { "rho", "*'rho0' is -1*finite and positive*" },
        { "missing s", "*lacks the buffer 's1'*" },
        { "short y", "*'y0'*holds 1 values*parameter has 2*" },
        { "extra scalar", "*'momentum', which Lbfgs does not keep*" },
        { "scale", "*'hessianScale' is NaN*finite and positive*" },
        { "half a last step", "*'lastGradient'*" },
        { "line search", "*lineSearch = 1*built with 0*" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void ImportState_DamagedSnapshot_IsRefusedNamingTheProblem_AndChangesNothing(string damage, string message)
    {
        var f = new Rosenbrock<double>();
        var source = Create(f);
        for (int step = 0; step < 3; step++) source.Step(f.Evaluate);
        var good = source.ExportState();
        var p = good.Parameters.Single();
        var scalars = new Dictionary<string, double>(good.Scalars);
        var hyper = new Dictionary<string, double>(good.Hyperparameters);
        var buffers = new Dictionary<string, double[]>(p.Buffers);
        string kind = "Lbfgs";
        switch (damage)
        {
            case "kind": kind = "Adam"; break;
            case "historySize": hyper["historySize"] = 5; break;
            case "pairs": scalars["pairs"] = 4; break;
            case "rho": scalars["rho0"] = -1; break;
            case "missing s": buffers.Remove("s1"); buffers["z"] = [0, 0]; break;
            case "short y": buffers["y0"] = [1]; break;
            case "extra scalar": scalars["momentum"] = 0.9; break;
            case "scale": scalars["hessianScale"] = double.NaN; break;
            case "half a last step": buffers.Remove("lastGradient"); break;
            case "line search": hyper["lineSearch"] = 1; break;
        }
        var damaged = new OptimizerSnapshot(kind, good.ElementType, hyper, [new ParameterStateSnapshot(p.Name, p.Shape, p.Step, buffers, p.Scalars)], scalars);

        var target = Create(new Rosenbrock<double>());
        target.Step(new Rosenbrock<double>().Evaluate);
        var before = target.ExportState();
        target.Invoking(t => t.ImportState(damaged)).Should().Throw<ArgumentException>().WithMessage(message);
        var after = target.ExportState();
        after.Scalars.Should().BeEquivalentTo(before.Scalars);
        after.Parameters.Single().Buffers.Should().BeEquivalentTo(before.Parameters.Single().Buffers);
    }

    [Fact]
    public void ImportState_TakesANewLearningRate()
    {
        var f = new Rosenbrock<double>();
        var source = Create(f);
        source.Step(f.Evaluate);
        var snapshot = source.ExportState();
        var hyper = new Dictionary<string, double>(snapshot.Hyperparameters) { ["learningRate"] = 0.5 };
        var target = Create(new Rosenbrock<double>());
        target.ImportState(new OptimizerSnapshot(snapshot.Kind, snapshot.ElementType, hyper, snapshot.Parameters, snapshot.Scalars));
        target.LearningRate.Should().Be(0.5);
    }

    [Fact]
    public void ExportThenImport_FixedStepMidRun_ContinuesBitForBit()
    {
        // With a fixed step the last iteration's point is evaluated by the next step, so the pair it makes is pending
        // in the snapshot (lastStep, lastGradient) and must travel for the run to continue as it would have.
        Lbfgs<double> Fixed(Rosenbrock<double> f) => new([f.P], learningRate: 0.1, maxIterations: 2, historySize: 3, lineSearch: LbfgsLineSearch.FixedStep);
        var straight = new Rosenbrock<double>();
        var optimizer = Fixed(straight);
        for (int step = 0; step < 3; step++) optimizer.Step(straight.Evaluate);
        var snapshot = optimizer.ExportState();
        snapshot.Parameters.Single().Buffers.Keys.Should().Contain(["lastStep", "lastGradient"]);
        snapshot.Hyperparameters["lineSearch"].Should().Be(1);

        var resumed = new Rosenbrock<double>();
        resumed.P.SetValue(straight.P.ValueSpan.ToArray());
        var fresh = Fixed(resumed);
        fresh.ImportState(snapshot);
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(straight.Evaluate);
            fresh.Step(resumed.Evaluate);
        }
        resumed.P.ValueSpan.ToArray().Should().Equal(straight.P.ValueSpan.ToArray());
    }

    [Fact]
    public void ImportState_ASnapshotFromBeforeTheLastStepWasKept_ReadsAsAStrongWolfeRunWithoutIt()
    {
        // Checkpoints written before the line search could be chosen hold no lineSearch, hessianScale, lastStep or
        // lastGradient: they still load, H₀'s scale then taken from the newest pair.
        var f = new Rosenbrock<double>();
        var source = Create(f);
        for (int step = 0; step < 3; step++) source.Step(f.Evaluate);
        var now = source.ExportState();
        var p = now.Parameters.Single();
        var buffers = p.Buffers.Where(b => b.Key is not ("lastStep" or "lastGradient")).ToDictionary(b => b.Key, b => b.Value);
        var scalars = now.Scalars.Where(b => b.Key != "hessianScale").ToDictionary(b => b.Key, b => b.Value);
        var hyper = now.Hyperparameters.Where(b => b.Key != "lineSearch").ToDictionary(b => b.Key, b => b.Value);
        var old = new OptimizerSnapshot(now.Kind, now.ElementType, hyper, [new ParameterStateSnapshot(p.Name, p.Shape, p.Step, buffers, p.Scalars)], scalars);

        var target = Create(new Rosenbrock<double>());
        target.ImportState(old);
        target.StoredPairs.Should().Be(source.StoredPairs);
        var again = target.ExportState();
        again.Scalars["hessianScale"].Should().BeApproximately(now.Scalars["hessianScale"], 1e-12 * now.Scalars["hessianScale"]);
        again.Parameters.Single().Buffers.Keys.Should().NotContain("lastStep");
    }
}
