using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Pipelines;

// Factories: from a checkpoint folder or files, and the built-in demo.
public sealed partial class ZImagePipeline
{
    /// <summary>Loads a Z-Image checkpoint (a diffusers folder, or a folder of ComfyUI single files) on a worker thread.</summary>
    /// <param name="path">The model folder.</param>
    /// <param name="options">Backend and weight dtypes.</param>
    /// <param name="progress">Receives the name of each component as it starts loading.</param>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <exception cref="IO.Checkpoints.CheckpointException">For a missing component or tensor, naming it.</exception>
    public static Task<ZImagePipeline> LoadAsync(string path, ZImageLoadOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Factory.StartNew(
            () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(path, options.TokenizerPath);
                return new ZImagePipeline(options.Backend, ZImageComponentLoader.Load(checkpoint, options, progress));
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>The built-in demo model (random weights; see <see cref="DemoModel"/>).</summary>
    public static ZImagePipeline CreateDemo(Tensors.IBackend backend) => new(backend, DemoModel.Create(backend));

    /// <summary>True for the built-in demo model.</summary>
    public bool IsDemo => ReferenceEquals(Components.Description, DemoModel.Description);
}
