using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) · up(x)), no biases.</summary>
public sealed class Qwen3Mlp : IDisposable
{
    private readonly Linear _gate;
    private readonly Linear _up;
    private readonly Linear _down;

    /// <summary>Loads <c>gate_proj, up_proj, down_proj</c> under <paramref name="weights"/> (<c>mlp</c>).</summary>
    public Qwen3Mlp(Qwen3Config config, WeightMap weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        _gate = new Linear(weights.Sub("gate_proj"), config.HiddenSize, config.IntermediateSize, bias: false);
        _up = new Linear(weights.Sub("up_proj"), config.HiddenSize, config.IntermediateSize, bias: false);
        _down = new Linear(weights.Sub("down_proj"), config.IntermediateSize, config.HiddenSize, bias: false);
    }

    /// <param name="x">[..., hidden]</param>
    public Tensor Forward(Tensor x)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(_down.Forward(Ops.SwiGlu(_gate.Forward(x), _up.Forward(x))));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _gate.Dispose();
        _up.Dispose();
        _down.Dispose();
    }
}
