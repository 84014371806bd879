#!/usr/bin/env python3
"""Writes a full-size Z-Image checkpoint whose tensors are all zeros, as sparse files (no disk is used).

The names, shapes and dtypes come from the fixture manifests, so the loader sees exactly the real checkpoint's
headers; the data regions are holes. Used to measure loading (memory, mapping) at real size without real weights:

    tools/sparse_checkpoint.py /tmp/zimage-sparse    # diffusers layout: model_index.json, F32 DiT shards, configs

(The ComfyUI layout's renaming is proven by the C# loading tests, which build both layouts the same way.)

Reads $ZIMAGE_FIXTURES (default ../shared/fixtures) for manifests/ and tokenizer/tokenizer.json.
"""
import json
import os
import shutil
import sys

DTYPE_BYTES = {"F32": 4, "BF16": 2, "F16": 2}


def fixtures():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("ZIMAGE_FIXTURES") or os.path.join(here, "..", "..", "shared", "fixtures")


def manifest(name):
    with open(os.path.join(fixtures(), "manifests", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def write_sparse(path, tensors):
    """tensors: list of (name, shape, dtype). Writes header + a hole as long as the data."""
    header, offset = {}, 0
    for name, shape, dtype in tensors:
        size = DTYPE_BYTES[dtype]
        for d in shape:
            size *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(len(raw).to_bytes(8, "little"))
        f.write(raw)
        f.truncate(8 + len(raw) + offset)
    return offset


def tensors_of(m, dtype=None, rename=lambda n: n):
    return [(rename(t["name"]), t["shape"], dtype or t["dtype"]) for t in m["tensors"]]


def sharded(folder, stem, tensors, shards):
    per = -(-len(tensors) // shards)
    weight_map, total = {}, 0
    for i in range(shards):
        part = tensors[i * per:(i + 1) * per]
        file = f"{stem}-{i + 1:05d}-of-{shards:05d}.safetensors"
        total += write_sparse(os.path.join(folder, file), part)
        weight_map.update({name: file for name, _, _ in part})
    with open(os.path.join(folder, f"{stem}.safetensors.index.json"), "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)


def diffusers(root):
    dit, te, vae = manifest("transformer"), manifest("text_encoder"), manifest("vae")
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "ZImagePipeline", "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
        "text_encoder": ["transformers", "Qwen3Model"], "tokenizer": ["transformers", "Qwen2Tokenizer"],
        "transformer": ["diffusers", "ZImageTransformer2DModel"], "vae": ["diffusers", "AutoencoderKL"]})
    sharded(os.path.join(root, "transformer"), "diffusion_pytorch_model", tensors_of(dit), 3)
    write_json(os.path.join(root, "transformer", "config.json"), {"_class_name": "ZImageTransformer2DModel", **dit["config"]})
    sharded(os.path.join(root, "text_encoder"), "model", tensors_of(te), 3)
    te_config = {"architectures": ["Qwen3ForCausalLM"], "vocab_size": 151936, "hidden_size": 2560, "intermediate_size": 9728,
                 "num_hidden_layers": 36, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
                 "rms_norm_eps": 1e-6, "rope_theta": 1000000, "max_position_embeddings": 40960,
                 "tie_word_embeddings": True, "hidden_act": "silu", "attention_bias": False}
    write_json(os.path.join(root, "text_encoder", "config.json"), te_config)
    write_sparse(os.path.join(root, "vae", "diffusion_pytorch_model.safetensors"), tensors_of(vae))
    write_json(os.path.join(root, "vae", "config.json"), {"_class_name": "AutoencoderKL", **vae["config"]})
    write_json(os.path.join(root, "scheduler", "scheduler_config.json"),
               {"_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0, "use_dynamic_shifting": False})
    os.makedirs(os.path.join(root, "tokenizer"), exist_ok=True)
    shutil.copy(os.path.join(fixtures(), "tokenizer", "tokenizer.json"), os.path.join(root, "tokenizer", "tokenizer.json"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    diffusers(sys.argv[1])
    print(f"wrote a sparse full-size diffusers checkpoint to {sys.argv[1]}")
