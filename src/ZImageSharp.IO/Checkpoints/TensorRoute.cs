namespace ZImageSharp.IO.Checkpoints;

/// <summary>Where a tensor of a <see cref="RenamedTensorSource"/> comes from.</summary>
/// <param name="InnerName">The name of the stored tensor in the inner source.</param>
/// <param name="Transform">How the presented tensor is derived from it; null presents it as stored.</param>
public sealed record TensorRoute(string InnerName, TensorTransform? Transform = null)
{
    /// <summary>Reads like <c>'layers.0.attention.qkv.weight' (chunk 0 of 3 along dim 0)</c>.</summary>
    public override string ToString() => Transform is null ? $"'{InnerName}'" : $"'{InnerName}' ({Transform})";
}
