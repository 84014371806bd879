namespace ZImageSharp.Pipelines.Loading;

/// <summary>What a layout search found: the components it could open and map, and why the others are not there.</summary>
internal sealed class Discovery(CheckpointLayout layout, string root)
{
    public CheckpointLayout Layout { get; } = layout;

    public string Root { get; } = root;

    public List<ZImageComponent> Components { get; } = [];

    public List<ComponentProblem> Problems { get; } = [];

    /// <summary>Safetensors files that were looked at and are none of the components.</summary>
    public List<string> IgnoredFiles { get; } = [];

    /// <summary>Where a tokenizer.json may be, most specific first.</summary>
    public List<string> TokenizerCandidates { get; } = [];

    public string? SchedulerConfigPath { get; set; }

    public string? PipelineClassName { get; set; }

    /// <summary>Disposes what was opened so far (when the search fails half-way).</summary>
    public void DisposeComponents() => Components.ForEach(c => c.Dispose());

    /// <summary>Adds tokenizer.json and tokenizer/tokenizer.json under <paramref name="folder"/>, once each.</summary>
    public void AddTokenizerFolder(string folder)
    {
        foreach (string candidate in (string[])[Path.Combine(folder, "tokenizer.json"), Path.Combine(folder, "tokenizer", "tokenizer.json")])
        {
            if (!TokenizerCandidates.Contains(candidate, StringComparer.Ordinal))
            {
                TokenizerCandidates.Add(candidate);
            }
        }
    }
}
