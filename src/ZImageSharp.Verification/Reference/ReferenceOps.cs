namespace ZImageSharp.Verification.Reference;

/// <summary>
/// The op set as plain nested loops over <see cref="HostTensor"/> with double accumulation: the reference
/// <c>zimage selftest --device cpu</c> checks the CPU backend against. A port of tests/ZImageSharp.Testing/NaiveOps*.cs
/// (a src project may not reference a test project); one partial file per op family; no SIMD, no threads, no tricks.
/// </summary>
internal static partial class ReferenceOps
{
}
