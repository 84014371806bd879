using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Tests;

/// <summary>
/// The catalog can fail, and fails precisely: a backend whose one op is slightly wrong fails exactly that op's cases
/// (against the CPU backend, as a GPU is checked), and the faithful wrapper fails none.
/// </summary>
public sealed class PerturbedBackendTests
{
    public static TheoryData<string, string[]> Perturbations() => new()
    {
        { "none", [] },
        { nameof(OpKind.Softmax), ["softmax"] },
        { nameof(OpKind.MatMul), ["matmul"] },
        { nameof(OpKind.RmsNorm), ["rmsnorm"] },
    };

    [Theory]
    [MemberData(nameof(Perturbations))]
    public void PerturbedOp_FailsExactlyItsCases(string perturbed, string[] failingOps)
    {
        OpKind? op = perturbed == "none" ? null : Enum.Parse<OpKind>(perturbed);
        var backend = new PerturbedBackend(new CpuBackend(), op);
        IReadOnlyList<OpCase> cases = SelfTestRunner.Select(OpCatalog.All, quick: true, filter: null);

        IReadOnlyList<CaseResult> results = SelfTestRunner.Run(backend, new BackendReference(CpuBackend.Default), cases);

        string[] failed = [.. results.Where(r => !r.Passed).Select(r => $"{r.Op} {r.Case} {r.DType}").Order()];
        string[] expected = [.. cases.Where(c => failingOps.Contains(c.Op)).Select(c => $"{c.Op} {c.Name} {c.DType}").Order()];
        Assert.Equal(expected, failed);
        Assert.All(results.Where(r => !r.Passed), r => Assert.Null(r.Error));
    }
}
