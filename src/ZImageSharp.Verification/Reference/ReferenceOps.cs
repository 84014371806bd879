namespace ZImageSharp.Verification.Reference;

/// <summary>
/// The op set as plain nested loops over <see cref="HostTensor"/> with double accumulation: the reference
/// every kernel is tested against (the test projects call it <c>NaiveOps</c>) and that <c>zimage selftest --device cpu</c>
/// checks the CPU backend against; trusted by inspection. One partial file per op family; no SIMD, no threads, no tricks.
/// </summary>
public static partial class ReferenceOps
{
}
