namespace ZImageSharp.Pipelines;

/// <summary>Marker type of the pipelines assembly.</summary>
public static class PipelinesAssembly
{
}
