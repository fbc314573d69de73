using System.Text.Json.Nodes;
using NeuralNets.Training;
using static NeuralNets.Tests.Serialization.CheckpointRuns;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A checkpoint is taken of finite weights and moments: one that holds a NaN weight or a negative second moment was
/// damaged, and resuming from it is refused as a malformed file, naming the file and the value, with nothing changed.
/// </summary>
public sealed class CheckpointNonFiniteValueTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Saved()
    {
        var run = Named("adam");
        var objects = run.Build();
        Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 2 });
        string path = _temp.File("run.ckpt.json");
        objects.Trainer.SaveCheckpoint(path);
        return path;
    }

    /// <summary>Resumes into fresh objects; returns what was thrown, and checks that nothing changed.</summary>
    private static Exception? Resume(string path)
    {
        var run = Named("adam");
        var fresh = run.Build();
        var weights = Weights(fresh.Network);
        try
        {
            Fit(fresh.Trainer, run.Options(fresh.Optimizer), resumeFrom: path);
            return null;
        }
        catch (Exception e)
        {
            Weights(fresh.Network).Should().BeEquivalentTo(weights, o => o.WithStrictOrdering(), "a refused resume leaves the weights as they were");
            fresh.Optimizer.ExportState().Parameters.Should().OnlyContain(p => p.Step == 0 && p.Buffers.Count == 0, "and the optimizer fresh");
            return e;
        }
    }

    /// <summary>Replaces element 0 of a base64 array of numbers (4-byte floats or 8-byte doubles).</summary>
    private static string WithFirst(string base64, double value, bool single)
    {
        var bytes = Convert.FromBase64String(base64);
        if (single) BitConverter.GetBytes((float)value).CopyTo(bytes, 0);
        else BitConverter.GetBytes(value).CopyTo(bytes, 0);
        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public void Resume_ANaNWeight_ThrowsInvalidDataNamingTheFileAndParameter()
    {
        string path = Saved();
        Edit(path, root =>
        {
            var parameter = Parameter(root["Model"]!.AsObject(), 0);
            parameter["Data"] = WithFirst(parameter["Data"]!.GetValue<string>(), double.NaN, single: true);
        });

        var error = Resume(path);

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("'0.weight'").And.Contain("NaN");
    }

    [Fact]
    public void Resume_ANegativeSecondMoment_ThrowsInvalidDataNamingTheFileAndBuffer()
    {
        string path = Saved();
        Edit(path, root =>
        {
            var buffers = root["Optimizer"]!["Parameters"]![0]!["Buffers"]!.AsObject();
            buffers["exp_avg_sq"] = WithFirst(buffers["exp_avg_sq"]!.GetValue<string>(), -1, single: false);
        });

        var error = Resume(path);

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("'exp_avg_sq'").And.Contain("'0.weight'");
    }

    [Fact]
    public void Resume_AnUnchangedCheckpoint_IsAccepted()
    {
        Resume(Saved()).Should().BeNull();
    }
}
