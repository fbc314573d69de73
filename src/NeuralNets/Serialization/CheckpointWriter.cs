using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Serialization;

/// <summary>
/// Writes a <see cref="CheckpointDocument"/> as JSON: the model as <see cref="ModelFile"/> writes it, optimizer buffers
/// as base64 of little-endian doubles (bit for bit), other numbers as JSON numbers in their shortest round-trip form
/// (non-finite ones as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>); callbacks' buffers as base64 too.
/// </summary>
internal static class CheckpointWriter
{
    public static void Write(Stream stream, CheckpointDocument document)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("Format", CheckpointDocument.CurrentFormat);
        writer.WriteString("ElementType", document.ElementType);
        WriteProgress(writer, document.Progress);
        writer.WriteStartArray("RandomStreams");
        foreach (var record in document.RandomStreams)
        {
            writer.WriteStartObject();
            writer.WriteString("Layer", record.Layer);
            writer.WriteNumber("Position", record.Position);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteOptimizer(writer, document.Optimizer);
        writer.WriteStartArray("Callbacks");
        foreach (var state in document.Callbacks ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("Kind", state.Kind);
            writer.WriteStartObject("Scalars");
            foreach (var (name, value) in state.Scalars) Number(writer, name, value);
            writer.WriteEndObject();
            writer.WriteStartObject("Buffers");
            foreach (var (name, values) in state.Buffers) writer.WriteBase64String(name, MemoryMarshal.AsBytes(values.AsSpan()));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("History");
        foreach (var report in document.History) WriteReport(writer, report);
        writer.WriteEndArray();
        writer.WritePropertyName("Model");
        JsonSerializer.Serialize(writer, document.Model, ModelJsonContext.Default.ModelDocument);
        writer.WriteEndObject();
    }

    private static void WriteProgress(Utf8JsonWriter writer, CheckpointProgress progress)
    {
        writer.WriteStartObject("Progress");
        writer.WriteNumber("Epoch", progress.Epoch);
        writer.WriteNumber("Step", progress.Step);
        writer.WriteNumber("BatchSize", progress.BatchSize);
        writer.WriteBoolean("Shuffle", progress.Shuffle);
        writer.WriteNumber("Seed", progress.Seed);
        writer.WriteNumber("SampleCount", progress.SampleCount);
        writer.WriteEndObject();
    }

    private static void WriteOptimizer(Utf8JsonWriter writer, OptimizerSnapshot snapshot)
    {
        writer.WriteStartObject("Optimizer");
        writer.WriteString("Kind", snapshot.Kind);
        writer.WriteString("ElementType", snapshot.ElementType);
        writer.WriteStartObject("Hyperparameters");
        foreach (var (name, value) in snapshot.Hyperparameters) Number(writer, name, value);
        writer.WriteEndObject();
        writer.WriteStartArray("Parameters");
        foreach (var p in snapshot.Parameters)
        {
            writer.WriteStartObject();
            writer.WriteString("Name", p.Name);
            writer.WriteStartArray("Shape");
            foreach (int length in p.Shape) writer.WriteNumberValue(length);
            writer.WriteEndArray();
            writer.WriteNumber("Step", p.Step);
            writer.WriteStartObject("Buffers");
            foreach (var (name, values) in p.Buffers) writer.WriteBase64String(name, MemoryMarshal.AsBytes(values.AsSpan()));
            writer.WriteEndObject();
            writer.WriteStartObject("Scalars");
            foreach (var (name, value) in p.Scalars) Number(writer, name, value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        // Since format 2, and only when there is any (L-BFGS's pairs count and ρ).
        if (snapshot.Scalars.Count > 0)
        {
            writer.WriteStartObject("Scalars");
            foreach (var (name, value) in snapshot.Scalars) Number(writer, name, value);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteReport(Utf8JsonWriter writer, EpochReport report)
    {
        writer.WriteStartObject();
        writer.WriteNumber("Epoch", report.Epoch);
        writer.WriteNumber("Epochs", report.Epochs);
        Number(writer, "TrainLoss", report.TrainLoss);
        if (report.ValidationLoss is double validationLoss) Number(writer, "ValidationLoss", validationLoss);
        writer.WriteNumber("ElapsedTicks", report.Elapsed.Ticks);
        writer.WriteNumber("Steps", report.Steps);
        Number(writer, "LearningRate", report.LearningRate);
        if (report.GradientNorm is double norm) Number(writer, "GradientNorm", norm);
        if (report.MaxGradientNorm is double maxNorm) Number(writer, "MaxGradientNorm", maxNorm);
        Metrics(writer, "Metrics", report.Metrics);
        Metrics(writer, "ValidationMetrics", report.ValidationMetrics);
        writer.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter writer, string name, MetricValues values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStartObject();
            writer.WriteString("Name", value.Name);
            Number(writer, "Value", value.Value);
            writer.WriteBoolean("HigherIsBetter", value.HigherIsBetter);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    // JSON has no NaN or infinity: those go as strings, which the reader takes back.
    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
