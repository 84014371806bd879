#!/usr/bin/env python3
"""The Z-Image S3-DiT forward in plain PyTorch, written from ../shared/spec/zimage-arch.md (section 2) for one purpose:
a side-by-side anchor for ZImageSharp's transformer on the same machine and the same shapes.

  --check DIR   runs the batch-1 cases of a dit-tiny fixture folder (config.json, model.safetensors, case_*.safetensors)
                in float32 and compares the outputs with the reference (|a - ref| <= 1e-4 + 1e-4 |ref|), so the timed
                model is known to compute the real thing.
  --bench       times forwards of the full-size Turbo transformer with random bf16 weights (SDPA attention, eager, or
                torch.compile with --compile) and prints one JSON line per result, the format of `zimage bench --json`.

Batch 1 only (the benchmark's case); torch >= 1.13 (SDPA is used when present, else softmax(QK^T)V).
"""
import argparse
import json
import math
import struct
import sys
import time

import torch
import torch.nn.functional as F

SEQ_MULTIPLE = 32

TURBO = {"dim": 3840, "n_layers": 30, "n_refiner_layers": 2, "n_heads": 30, "norm_eps": 1e-5, "cap_feat_dim": 2560,
         "in_channels": 16, "rope_theta": 256.0, "t_scale": 1000.0, "axes_dims": [32, 48, 48]}


# ---------------------------------------------------------------------------------------------------- model pieces

def rms_norm(x, weight, eps):
    """diffusers RMSNorm: the mean square in float32, the result in x's dtype, then the weight."""
    variance = x.float().pow(2).mean(-1, keepdim=True)
    y = (x.float() * torch.rsqrt(variance + eps)).to(x.dtype)
    return y * weight


def timestep_embedding(t, dim=256, max_period=10000.0):
    """[cos, sin] of t * exp(-ln(max_period) * i / half) (cos first), in float32."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def rope_tables(positions, axes_dims, theta):
    """Per token (f, h, w) -> complex factors [S, head_dim/2]: angles in float64, cast to float32 (as the reference)."""
    parts = []
    for axis, d in enumerate(axes_dims):
        freqs = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
        angles = positions[:, axis].double()[:, None] * freqs[None]
        parts.append(torch.polar(torch.ones_like(angles, dtype=torch.float32), angles.float()))
    return torch.cat(parts, dim=-1)


def apply_rope(x, freqs):
    """Interleaved pairs (x[2m], x[2m+1]) as complex numbers, rotated in float32. x: [S, H, D], freqs: [S, D/2]."""
    xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * freqs[:, None, :]).flatten(-2).to(x.dtype)


def attention(q, k, v):
    """[S, H, D] -> [S, H, D], non-causal, no mask (batch 1: pad tokens are attended, as in the model)."""
    q, k, v = (t.transpose(0, 1)[None] for t in (q, k, v))
    if hasattr(F, "scaled_dot_product_attention"):
        out = F.scaled_dot_product_attention(q, k, v)
    else:
        scores = (q.float() @ k.float().transpose(-1, -2)) / math.sqrt(q.shape[-1])
        out = (scores.softmax(-1) @ v.float()).to(q.dtype)
    return out[0].transpose(0, 1)


class Block(torch.nn.Module):
    def __init__(self, w, prefix, cfg, modulated):
        super().__init__()
        self.w, self.p, self.cfg, self.modulated = w, prefix, cfg, modulated

    def g(self, name):
        return self.w[f"{self.p}.{name}"]

    def forward(self, x, freqs, c):
        dim, heads = self.cfg["dim"], self.cfg["n_heads"]
        eps = self.cfg["norm_eps"]

        def attn(h):
            s = h.shape[0]
            q = (h @ self.g("attention.to_q.weight").t()).view(s, heads, -1)
            k = (h @ self.g("attention.to_k.weight").t()).view(s, heads, -1)
            v = (h @ self.g("attention.to_v.weight").t()).view(s, heads, -1)
            q = apply_rope(rms_norm(q, self.g("attention.norm_q.weight"), 1e-5), freqs)
            k = apply_rope(rms_norm(k, self.g("attention.norm_k.weight"), 1e-5), freqs)
            return attention(q, k, v).reshape(s, dim) @ self.g("attention.to_out.0.weight").t()

        def ffn(h):
            a = h @ self.g("feed_forward.w1.weight").t()
            b = h @ self.g("feed_forward.w3.weight").t()
            return (F.silu(a) * b) @ self.g("feed_forward.w2.weight").t()

        if not self.modulated:
            x = x + rms_norm(attn(rms_norm(x, self.g("attention_norm1.weight"), eps)), self.g("attention_norm2.weight"), eps)
            return x + rms_norm(ffn(rms_norm(x, self.g("ffn_norm1.weight"), eps)), self.g("ffn_norm2.weight"), eps)

        mod = c @ self.g("adaLN_modulation.0.weight").t() + self.g("adaLN_modulation.0.bias")
        scale_msa, gate_msa, scale_mlp, gate_mlp = mod.chunk(4, dim=-1)
        gate_msa, gate_mlp = torch.tanh(gate_msa), torch.tanh(gate_mlp)
        scale_msa, scale_mlp = 1 + scale_msa, 1 + scale_mlp
        x = x + gate_msa * rms_norm(attn(rms_norm(x, self.g("attention_norm1.weight"), eps) * scale_msa), self.g("attention_norm2.weight"), eps)
        return x + gate_mlp * rms_norm(ffn(rms_norm(x, self.g("ffn_norm1.weight"), eps) * scale_mlp), self.g("ffn_norm2.weight"), eps)


class ZImageDiT(torch.nn.Module):
    """The transformer for one image [C, 1, H, W] and one caption [L, cap_feat_dim]; returns the velocity [C, 1, H, W]."""

    def __init__(self, weights, cfg):
        super().__init__()
        self.w, self.cfg = weights, cfg
        self.noise_refiner = [Block(weights, f"noise_refiner.{i}", cfg, True) for i in range(cfg["n_refiner_layers"])]
        self.context_refiner = [Block(weights, f"context_refiner.{i}", cfg, False) for i in range(cfg["n_refiner_layers"])]
        self.layers = [Block(weights, f"layers.{i}", cfg, True) for i in range(cfg["n_layers"])]

    def forward(self, latent, t, caption):
        w, cfg = self.w, self.cfg
        dtype = w["all_x_embedder.2-1.weight"].dtype
        c_in, _, height, width = latent.shape
        ht, wt = height // 2, width // 2

        # Patchify channel-fastest: feature (ph*2 + pw)*C + c, tokens in (h, w) row-major order.
        patches = latent.to(dtype).view(c_in, ht, 2, wt, 2).permute(1, 3, 2, 4, 0).reshape(ht * wt, 4 * c_in)
        n_img, n_cap = patches.shape[0], caption.shape[0]
        img_pad, cap_pad = -n_img % SEQ_MULTIPLE, -n_cap % SEQ_MULTIPLE
        lc = n_cap + cap_pad

        # Positions: caption j -> (1 + j, 0, 0); image (h, w) -> (lc + 1, h, w); image pad tokens -> (0, 0, 0).
        dev = latent.device
        cap_pos = torch.stack([torch.arange(1, lc + 1), torch.zeros(lc, dtype=torch.long), torch.zeros(lc, dtype=torch.long)], -1)
        hh, ww = torch.meshgrid(torch.arange(ht), torch.arange(wt), indexing="ij")
        img_pos = torch.stack([torch.full((n_img,), lc + 1), hh.reshape(-1), ww.reshape(-1)], -1)
        img_pos = torch.cat([img_pos, torch.zeros(img_pad, 3, dtype=torch.long)])
        x_freqs = rope_tables(img_pos, cfg["axes_dims"], cfg["rope_theta"]).to(dev)
        cap_freqs = rope_tables(cap_pos, cfg["axes_dims"], cfg["rope_theta"]).to(dev)

        c = timestep_embedding(t * cfg["t_scale"]).to(dtype)
        c = F.silu(c @ w["t_embedder.mlp.0.weight"].t() + w["t_embedder.mlp.0.bias"])
        c = c @ w["t_embedder.mlp.2.weight"].t() + w["t_embedder.mlp.2.bias"]

        x = patches @ w["all_x_embedder.2-1.weight"].t() + w["all_x_embedder.2-1.bias"]
        x = torch.cat([x, w["x_pad_token"].expand(img_pad, -1)])
        cap = rms_norm(caption.to(dtype), w["cap_embedder.0.weight"], cfg["norm_eps"])
        cap = cap @ w["cap_embedder.1.weight"].t() + w["cap_embedder.1.bias"]
        cap = torch.cat([cap, w["cap_pad_token"].expand(cap_pad, -1)])

        for block in self.noise_refiner:
            x = block(x, x_freqs, c)
        for block in self.context_refiner:
            cap = block(cap, cap_freqs, None)
        h = torch.cat([x, cap])
        freqs = torch.cat([x_freqs, cap_freqs])
        for block in self.layers:
            h = block(h, freqs, c)

        scale = 1 + F.silu(c) @ w["all_final_layer.2-1.adaLN_modulation.1.weight"].t() + w["all_final_layer.2-1.adaLN_modulation.1.bias"]
        h = F.layer_norm(h.float(), (h.shape[-1],), eps=1e-6).to(dtype) * scale
        out = h @ w["all_final_layer.2-1.linear.weight"].t() + w["all_final_layer.2-1.linear.bias"]
        out = out[:n_img].float().view(ht, wt, 2, 2, c_in).permute(4, 0, 2, 1, 3).reshape(c_in, 1, height, width)
        return out


# ---------------------------------------------------------------------------------------------------- weights

def read_safetensors(path):
    """A small safetensors reader (F32/BF16/F16/I32/U8) so the script needs torch only."""
    types = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16, "I32": torch.int32, "U8": torch.uint8, "I64": torch.int64}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        t = torch.frombuffer(data, dtype=types[info["dtype"]], count=(end - begin) // torch.tensor([], dtype=types[info["dtype"]]).element_size(), offset=begin)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def random_weights(cfg, dtype, device, seed=0):
    """Every tensor of the real checkpoint (spec 2.2 names and shapes), uniform with std 1/sqrt(fan_in) for matrices."""
    dim, heads, ffn = cfg["dim"], cfg["n_heads"], int(cfg["dim"] / 3 * 8)
    ada = min(dim, 256)
    g = torch.Generator(device="cpu").manual_seed(seed)

    def make(shape, kind="matrix"):
        if kind == "norm":
            return torch.ones(shape, dtype=dtype, device=device)
        if kind == "bias":
            return torch.zeros(shape, dtype=dtype, device=device)
        std = 1.0 / math.sqrt(shape[-1]) if kind == "matrix" else 1.0
        return ((torch.rand(shape, generator=g) * 2 - 1) * (std * math.sqrt(3))).to(dtype=dtype, device=device)

    w = {"t_embedder.mlp.0.weight": make((1024, 256)), "t_embedder.mlp.0.bias": make((1024,), "bias"),
         "t_embedder.mlp.2.weight": make((ada, 1024)), "t_embedder.mlp.2.bias": make((ada,), "bias"),
         "all_x_embedder.2-1.weight": make((dim, 4 * cfg["in_channels"])), "all_x_embedder.2-1.bias": make((dim,), "bias"),
         "cap_embedder.0.weight": make((cfg["cap_feat_dim"],), "norm"),
         "cap_embedder.1.weight": make((dim, cfg["cap_feat_dim"])), "cap_embedder.1.bias": make((dim,), "bias"),
         "x_pad_token": make((1, dim), "token"), "cap_pad_token": make((1, dim), "token"),
         "all_final_layer.2-1.adaLN_modulation.1.weight": make((dim, ada)),
         "all_final_layer.2-1.adaLN_modulation.1.bias": make((dim,), "bias"),
         "all_final_layer.2-1.linear.weight": make((4 * cfg["in_channels"], dim)),
         "all_final_layer.2-1.linear.bias": make((4 * cfg["in_channels"],), "bias")}
    blocks = [(f"noise_refiner.{i}", True) for i in range(cfg["n_refiner_layers"])]
    blocks += [(f"context_refiner.{i}", False) for i in range(cfg["n_refiner_layers"])]
    blocks += [(f"layers.{i}", True) for i in range(cfg["n_layers"])]
    for p, modulated in blocks:
        for n in ("to_q", "to_k", "to_v", "to_out.0"):
            w[f"{p}.attention.{n}.weight"] = make((dim, dim))
        w[f"{p}.attention.norm_q.weight"] = make((dim // heads,), "norm")
        w[f"{p}.attention.norm_k.weight"] = make((dim // heads,), "norm")
        w[f"{p}.feed_forward.w1.weight"] = make((ffn, dim))
        w[f"{p}.feed_forward.w3.weight"] = make((ffn, dim))
        w[f"{p}.feed_forward.w2.weight"] = make((dim, ffn))
        for n in ("attention_norm1", "attention_norm2", "ffn_norm1", "ffn_norm2"):
            w[f"{p}.{n}.weight"] = make((dim,), "norm")
        if modulated:
            w[f"{p}.adaLN_modulation.0.weight"] = make((4 * dim, ada))
            w[f"{p}.adaLN_modulation.0.bias"] = make((4 * dim,), "bias")
    return w


def forward_flops(cfg, image_tokens, caption_tokens):
    """The FLOP count of ZImageSharp's DitFlops (linears 2·tokens·in·out, attention 4·S²·dim per layer)."""
    pad = lambda n: (n + 31) // 32 * 32
    image, caption, dim, ffn = pad(image_tokens), pad(caption_tokens), cfg["dim"], int(cfg["dim"] / 3 * 8)
    per_layer = lambda s: 2.0 * s * (4 * dim * dim + 3 * dim * ffn) + 4.0 * s * s * dim
    embed = 2.0 * image * 4 * cfg["in_channels"] * dim + 2.0 * caption * cfg["cap_feat_dim"] * dim
    refiners = cfg["n_refiner_layers"] * (per_layer(image) + per_layer(caption))
    return embed + refiners + cfg["n_layers"] * per_layer(image + caption) + 2.0 * image * dim * 4 * cfg["in_channels"]


# ---------------------------------------------------------------------------------------------------- modes

def check(folder):
    import os
    cfg_json = json.load(open(os.path.join(folder, "config.json")))
    cfg = {k: cfg_json[k] for k in TURBO}
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    model = ZImageDiT(weights, cfg)
    cases = json.load(open(os.path.join(folder, "cases.json")))["cases"]
    worst, checked = 0.0, 0
    for case in cases:
        if len(case["cap_lens"]) != 1:
            continue
        data = read_safetensors(os.path.join(folder, case["file"]))
        with torch.no_grad():
            out = model(data["input.x.0"], data["input.t"], data["input.cap_feats.0"])
        ref = data["output.0"]
        excess = ((out - ref).abs() - (1e-4 + 1e-4 * ref.abs())).max().item()
        worst = max(worst, (out - ref).abs().max().item())
        checked += 1
        print(f"{case['name']}: max |torch - reference| = {(out - ref).abs().max().item():.3g}" + (" FAIL" if excess > 0 else " ok"))
        if excess > 0:
            sys.exit(1)
    if checked == 0:
        sys.exit(f"{folder}: no batch-1 case")
    print(f"{checked} cases within 1e-4 + 1e-4·|ref| (worst abs diff {worst:.3g})")


def bench(args):
    device = torch.device(args.device)
    cfg = dict(TURBO)
    dtype = torch.bfloat16
    torch.manual_seed(0)
    weights = random_weights(cfg, dtype, device)
    model = ZImageDiT(weights, cfg)
    forward = torch.compile(model) if args.compile else model
    latent_size = args.size // 8
    latent = torch.randn(cfg["in_channels"], 1, latent_size, latent_size, device=device)
    caption = torch.randn(args.caption_tokens, cfg["cap_feat_dim"], device=device) * 3
    t = torch.tensor([0.25], device=device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    times = []
    with torch.inference_mode():
        for i in range(args.warmup + args.runs):
            sync()
            start = time.perf_counter()
            forward(latent, t, caption)
            sync()
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
    times.sort()
    seconds = times[len(times) // 2]
    flops = forward_flops(cfg, (args.size // 16) ** 2, args.caption_tokens)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    peak = torch.cuda.max_memory_allocated(device) if device.type == "cuda" else 0
    print(json.dumps({"op": "torch_dit_forward", "torch": torch.__version__, "device": name, "compile": args.compile,
                      "size": args.size, "caption_tokens": args.caption_tokens, "runs": args.runs,
                      "seconds": round(seconds, 6), "tflop": round(flops / 1e12, 4),
                      "tflops": round(flops / seconds / 1e12, 2), "peak_bytes": peak}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", metavar="DIR", help="a dit-tiny fixture folder to verify this implementation against")
    p.add_argument("--bench", action="store_true", help="time the full-size Turbo transformer with random bf16 weights")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--size", type=int, default=1024)
    p.add_argument("--caption-tokens", type=int, default=108)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--compile", action="store_true", help="torch.compile the model (a stronger anchor than eager)")
    args = p.parse_args()
    if args.check:
        check(args.check)
    if args.bench:
        bench(args)
    if not (args.check or args.bench):
        p.error("give --check DIR and/or --bench")


if __name__ == "__main__":
    main()
