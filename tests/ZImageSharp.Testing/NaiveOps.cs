namespace ZImageSharp.Testing;

/// <summary>
/// The op set as plain nested loops over <see cref="HostTensor"/> with double accumulation: the reference every
/// kernel is tested against, trusted by inspection. One partial file per op family; no SIMD, no threads, no tricks.
/// </summary>
public static partial class NaiveOps
{
}
