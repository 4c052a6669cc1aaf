"""PyTorch reference for bench/run.ts: the same three training workloads, same shapes.

Run by bench/run.ts after the tfjs runs (never concurrently):
    python3 bench/torch_bench.py --probe        # prints {"torch", "blas", "config", "corename", "blasThreads"}
    [OPENBLAS_CORETYPE=Cooperlake] python3 bench/torch_bench.py '{"steps": {"mlp-jepa": 50, ...}, "warmup": 3, "threads": [2, 1]}'
bench/run.ts probes first: where OpenBLAS does not know the CPU and fell back to an old core
(bench/blas-core.ts decides), it runs the reference with the right OPENBLAS_CORETYPE.
Each workload runs once per thread count: torch.set_num_threads(n) AND openblas_set_num_threads(n)
(torch does not pass its thread count to OpenBLAS, whose matmuls would otherwise use its own
default); 2 is the reference, 1 shows per-core efficiency. Convolutions run on PyTorch's oneDNN
(MKL-DNN), matmuls (nn.Linear) on the BLAS. Prints one JSON object on the last line:
{"torch", "blas", "corename", "results": [{"workload", "threads", "blasThreads", "steps", "seconds", ...}]}.
Workloads (see bench/workloads/*.ts for the tfjs side):
  mlp-jepa   encoder MLP 256-256-256-32 on [obs_t; obs_t+1] (B=256), predictor MLP (32+2)-256-256-32,
             loss 25*MSE + VICReg(std 25, cov 1) on both embeddings, Adam 1e-3
  conv-jepa  28x28 images -> 4x4 patches [B,16,7,7] -> 1x1 embed 16->64 -> 3 conv3x3 64->64,
             EMA target encoder (no grad), predictor 2 conv3x3 on concat(ctx 64, mask 1),
             MSE at masked positions, B=128, Adam 1e-3, EMA 0.996
  char-ar    embedding 48x32, context 16 -> 512 -> 256 tanh -> 48, cross-entropy, B=256, Adam 1e-3
"""
import copy
import json
import os
import sys
import time

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(42)


def mlp(sizes):
    layers = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def vicreg_terms(z):
    n, d = z.shape
    zc = z - z.mean(0)
    var = (zc * zc).sum(0) / (n - 1)
    std = F.relu(1 - torch.sqrt(var + 1e-4)).mean()
    cov = zc.T @ zc / (n - 1)
    off = (cov * cov).sum() - (var * var).sum()
    return std, off / d


def mlp_jepa():
    b = 256
    enc, pred = mlp([256, 256, 256, 32]), mlp([34, 256, 256, 32])
    params = list(enc.parameters()) + list(pred.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    obs, act = torch.rand(2 * b, 256), torch.rand(b, 2) * 2 - 1

    def step():
        z = enc(obs)
        zt, zt1 = z[:b], z[b:]
        p = pred(torch.cat([zt, act], 1))
        sim = F.mse_loss(p, zt1)
        s1, c1 = vicreg_terms(zt)
        s2, c2 = vicreg_terms(zt1)
        loss = 25 * sim + 25 * (s1 + s2) / 2 + c1 + c2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    return b, step


class ConvEncoder(nn.Module):
    def __init__(self, c=64, p2=16):
        super().__init__()
        self.embed = nn.Conv2d(p2, c, 1)  # a dense layer on each patch
        self.convs = nn.ModuleList([nn.Conv2d(c, c, 3, padding=1) for _ in range(3)])

    def forward(self, x):
        h = self.embed(x)
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i < 2:
                h = F.relu(h)
        return h


def conv_jepa():
    b, c, g, p = 128, 64, 7, 4
    online = ConvEncoder(c, p * p)
    target = copy.deepcopy(online)
    for q in target.parameters():
        q.requires_grad_(False)
    predictor = nn.Sequential(nn.Conv2d(c + 1, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1))
    opt = torch.optim.Adam(list(online.parameters()) + list(predictor.parameters()), lr=1e-3)
    images = torch.rand(b, 1, 28, 28)
    mask = (torch.rand(b, 1, g, g) < 0.5).float()

    def step():
        # [B,1,28,28] -> [B,16,7,7] (4x4 patches as channels)
        patches = images.reshape(b, g, p, g, p).permute(0, 2, 4, 1, 3).reshape(b, p * p, g, g)
        with torch.no_grad():
            goal = target(patches)
        ctx = online(patches * (1 - mask))
        h = predictor(torch.cat([ctx, mask], 1))
        loss = (((h - goal) ** 2) * mask).sum() / (mask.sum() * c)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for t, o in zip(target.parameters(), online.parameters()):
                t.mul_(0.996).add_(o, alpha=0.004)
        return loss

    return b, step


def char_ar():
    b, v, t, e, h = 256, 48, 16, 32, 256
    emb, l1, l2 = nn.Embedding(v, e), nn.Linear(t * e, h), nn.Linear(h, v)
    opt = torch.optim.Adam(list(emb.parameters()) + list(l1.parameters()) + list(l2.parameters()), lr=1e-3)
    tokens, labels = torch.randint(0, v, (b, t)), torch.randint(0, v, (b,))

    def step():
        x = emb(tokens).reshape(b, t * e)
        logits = l2(torch.tanh(l1(x)))
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    return b, step


WORKLOADS = {"mlp-jepa": mlp_jepa, "conv-jepa": conv_jepa, "char-ar": char_ar}


def main():
    if sys.argv[1:] == ["--probe"]:
        print(json.dumps({"torch": torch.__version__, **blas_info()}))
        return
    cfg = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    steps = cfg.get("steps", {})
    warmup = int(cfg.get("warmup", 3))
    results = []
    for threads in cfg.get("threads", [2]):
        torch.set_num_threads(int(threads))
        blas_threads = set_blas_threads(int(threads))
        for name, build in WORKLOADS.items():
            run_workload(results, name, build, int(steps.get(name, 20)), warmup, int(threads), blas_threads)
    print(json.dumps({"torch": torch.__version__, **blas_info(), "results": results}))


def openblas():
    """The OpenBLAS that PyTorch calls (Debian: libblas.so.3, chosen by update-alternatives), or None."""
    import ctypes

    try:
        lib = ctypes.CDLL("libblas.so.3")
    except OSError:
        return None
    return lib if hasattr(lib, "openblas_get_config") else None


def blas_info():
    """BLAS name, OpenBLAS build config, the core (kernel set) it runs, and its thread count.
    "reference" is netlib's BLAS: matmul-bound workloads ~15x slower and the ratios meaningless."""
    import ctypes

    lib = openblas()
    if lib is None:
        try:
            other = ctypes.CDLL("libblas.so.3")
        except OSError:
            return {"blas": "unknown", "config": None, "corename": None, "blasThreads": None}
        name = "BLIS" if hasattr(other, "bli_info_get_version_str") else "reference"
        return {"blas": name, "config": None, "corename": None, "blasThreads": None}
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    config = lib.openblas_get_config().decode()
    return {"blas": "OpenBLAS " + config.split()[1], "config": config,
            "corename": lib.openblas_get_corename().decode(), "blasThreads": lib.openblas_get_num_threads()}


def set_blas_threads(n):
    """Gives OpenBLAS the same thread count as torch; returns what it reports (None without OpenBLAS)."""
    lib = openblas()
    if lib is None:
        return None
    lib.openblas_set_num_threads(n)
    return lib.openblas_get_num_threads()


def run_workload(results, name, build, n, warmup, threads, blas_threads):
    if n <= 0:
        return
    batch, step = build()
    for _ in range(warmup):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        loss = step()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    results.append({"workload": name, "threads": threads, "blasThreads": blas_threads, "steps": n, "seconds": seconds, "stepsPerSec": n / seconds,
                    "examplesPerSec": n * batch / seconds, "cpuMsPerStep": 1000 * cpu / n, "loss": float(loss)})
    print(f"[torch] {name} ({threads} threads): {n / seconds:.2f} steps/s", file=sys.stderr)


if __name__ == "__main__":
    main()
