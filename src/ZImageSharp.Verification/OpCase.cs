using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

/// <summary>
/// One check of the catalog: deterministic host inputs, the op as called through <see cref="Ops"/> on any backend, and
/// the same op as double-precision loops (<see cref="ReferenceOps"/>) for a reference that shares no code with a backend.
/// </summary>
public sealed class OpCase
{
    private readonly Func<IReadOnlyList<HostInput>> _inputs;
    private readonly Func<IBackend, IReadOnlyList<Tensor>, Tensor> _run;
    private readonly Func<IReadOnlyList<HostTensor>, HostTensor> _reference;

    internal OpCase(
        string op,
        string name,
        DType dtype,
        Func<IReadOnlyList<HostInput>> inputs,
        Func<IBackend, IReadOnlyList<Tensor>, Tensor> run,
        Func<IReadOnlyList<HostTensor>, HostTensor> reference,
        NumericBound bound,
        bool quick)
    {
        Op = op;
        Name = name;
        DType = dtype;
        _inputs = inputs;
        _run = run;
        _reference = reference;
        Bound = bound;
        Quick = quick;
    }

    /// <summary>The op family, as <c>--filter</c> and the report name it ("matmul", "unary.exp", "copy").</summary>
    public string Op { get; }

    /// <summary>Shapes and variant ("[2, 33, 65]·[2, 65, 17] +bias").</summary>
    public string Name { get; }

    /// <summary>The output dtype (which picks the bound).</summary>
    public DType DType { get; }

    /// <summary>What the output may differ from the reference by.</summary>
    public NumericBound Bound { get; }

    /// <summary>Part of the quick catalog (<c>--quick</c>); the full catalog adds the larger shapes.</summary>
    public bool Quick { get; }

    /// <summary>A new copy of the case's inputs (the same values every time).</summary>
    public IReadOnlyList<HostInput> CreateInputs() => _inputs();

    /// <summary>Uploads <paramref name="inputs"/> to <paramref name="backend"/> and runs the op there; the caller disposes the result.</summary>
    public Tensor Run(IBackend backend, IReadOnlyList<HostInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(inputs);
        var tensors = new List<Tensor>(inputs.Count);
        try
        {
            foreach (HostInput input in inputs)
            {
                tensors.Add(HostTransfer.Upload(backend, input));
            }

            return _run(backend, tensors);
        }
        finally
        {
            foreach (Tensor t in tensors)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The expected output from the double-precision loops, row-major.</summary>
    public double[] Reference(IReadOnlyList<HostInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return _reference([.. inputs.Select(i => new HostTensor(i.Shape, i.Values))]).Data;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Op} {Name} {DType}";
}
