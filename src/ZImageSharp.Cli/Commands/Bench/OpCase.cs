using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>A benchmark case: inputs are made by <see cref="Prepare"/>, then the returned run is timed repeatedly.</summary>
/// <param name="Op">The op's name.</param>
/// <param name="Shape">The shape in words.</param>
/// <param name="DType">Activation (× weight) dtypes.</param>
/// <param name="Flops">Useful floating-point operations of one run (0 for a memory-bound op).</param>
/// <param name="Bytes">Bytes one run must read and write at the least (used when <paramref name="Flops"/> is 0).</param>
/// <param name="Prepare">Makes the inputs on a backend and returns the run; disposing it frees the inputs.</param>
internal sealed record OpCase(string Op, string Shape, string DType, double Flops, double Bytes, Func<IBackend, OpRun> Prepare);

/// <summary>A prepared case: <see cref="Run"/> computes once and frees its result; disposing frees the inputs.</summary>
internal sealed class OpRun(Func<Tensor> compute, params Tensor[] inputs) : IDisposable
{
    /// <summary>Runs the op once.</summary>
    public void Run() => compute().Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Tensor input in inputs)
        {
            input.Dispose();
        }
    }
}
