#!/usr/bin/python3
"""Train the MLwatch Fashion-MNIST classifier and export it to ONNX.

Prerequisites (Debian 12; this script installs nothing and downloads nothing):

    sudo apt-get install -y python3-torch python3-torchvision python3-onnx dataset-fashion-mnist

Run from the repository root with Debian's interpreter (not a pyenv/venv python,
which will not see the apt-installed modules):

    /usr/bin/python3 models/fashion-mnist/train.py

Options: --epochs N, --data-dir DIR (default /usr/share/datasets/fashion-mnist),
--out-dir DIR (default: the directory containing this script), --version V (default 1),
--arch cnn3|cnn2 (default cnn3), --seed S (training seed; default 20261125),
--shuffle-labels (train on randomly permuted labels: a deliberately broken version for supervision tests;
skips the accuracy acceptance check).

Version 1 (the default) is the model-level build; every other version is a folder of its own:

    /usr/bin/python3 models/fashion-mnist/train.py                                   # version 1
    /usr/bin/python3 models/fashion-mnist/train.py --version 2 --arch cnn2 --epochs 8 --seed 20261202
    /usr/bin/python3 models/fashion-mnist/train.py --version 3 --arch cnn2 --epochs 2 --seed 20261203 --shuffle-labels

Outputs (relative to --out-dir; V = --version):
    V/model.onnx        opset 13; input "input" float32 [N,1,28,28]; output "logits" float32 [N,10]
    val-indices.json    the 5,000 held-out training-set indices (always split with seed 20261125, so every
                        version is validated and calibrated on the same held-out images)
    metrics.json        validation/test accuracy, per-class test accuracy, timings   (version 1; else V/metrics.json)
    reference.json      held-out label distribution, confidence histogram/quantiles,
                        temperature calibration                                      (version 1; else V/reference.json)
    config.json         its "temperature" key is set to the fitted calibration temperature
                        (version 1; else V/config.json, which holds only what differs from the model's config.json)

Preprocessing contract (must match config.json):
    input = (pixel / 255 - 0.2860) / 0.3530, single channel, NCHW, pixels as-is
    (light garment on a black background; no inversion). Output is raw logits.
"""

import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20261125
MEAN = 0.2860
STD = 0.3530
NUM_CLASSES = 10
VAL_SIZE = 5000
OPSET = 13
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------- data

def read_idx(path):
    """Read a (optionally gzipped) IDX file into a numpy uint8 array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {data[:4].hex()})")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {np.prod(dims)} bytes of payload, got {arr.size}")
    return arr.reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    assert images.shape[1:] == (28, 28) and images.shape[0] == labels.shape[0]
    return images, labels.astype(np.int64)


def preprocess(images_u8):
    """uint8 [N,28,28] -> normalized float32 tensor [N,1,28,28] (the serving contract)."""
    x = torch.from_numpy(images_u8.astype(np.float32) / 255.0)
    return ((x - MEAN) / STD).unsqueeze(1).contiguous()


def make_val_split(n_train, seed=SEED, val_size=VAL_SIZE):
    """Deterministic held-out split of the 60k training set. Returns (train_idx, val_idx), sorted."""
    perm = np.random.default_rng(seed).permutation(n_train)
    return np.sort(perm[val_size:]), np.sort(perm[:val_size])


# --------------------------------------------------------------------------- model

def conv_block(cin, cout):
    """Conv3x3-BN-ReLU-MaxPool: halves the image side."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class SmallFashionCnn(nn.Module):
    """2 conv blocks (Conv3x3-BN-ReLU-MaxPool, 16/32 channels) + small MLP head: ~7x fewer operations than FashionCnn."""

    def __init__(self, num_classes=NUM_CLASSES):
        super().__init__()

        self.features = nn.Sequential(
            conv_block(1, 16),    # 28 -> 14
            conv_block(16, 32),   # 14 -> 7
            nn.Dropout(0.1),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 64),
            nn.ReLU(inplace=True),
            nn.Dropout(0.2),
            nn.Linear(64, num_classes),
        )

    def forward(self, x):
        return self.head(self.features(x))


class FashionCnn(nn.Module):
    """3 conv blocks (Conv3x3-BN-ReLU-MaxPool) + small MLP head with dropout."""

    def __init__(self, num_classes=NUM_CLASSES):
        super().__init__()

        self.features = nn.Sequential(
            conv_block(1, 32),    # 28 -> 14
            conv_block(32, 64),   # 14 -> 7
            conv_block(64, 128),  # 7 -> 3
            nn.Dropout(0.1),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(128 * 3 * 3, 128),
            nn.ReLU(inplace=True),
            nn.Dropout(0.3),
            nn.Linear(128, num_classes),
        )

    def forward(self, x):
        return self.head(self.features(x))


# --------------------------------------------------------------------------- train / eval

@torch.no_grad()
def predict_logits(model, x, batch_size=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])


def accuracy(logits, y):
    return (logits.argmax(1) == y).float().mean().item()


def train(model, x_tr, y_tr, x_val, y_val, epochs, seed, batch_size=128, lr=2e-3):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    steps_per_epoch = (len(x_tr) + batch_size - 1) // batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, epochs=epochs, steps_per_epoch=steps_per_epoch)
    best = (-1.0, None, -1)
    for epoch in range(1, epochs + 1):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(x_tr), generator=gen)
        total_loss = 0.0
        for i in range(0, len(x_tr), batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = x_tr[idx], y_tr[idx]
            # augmentation: random horizontal flip (garments are ~left/right symmetric)
            flip = torch.rand(len(xb), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(xb)
        val_acc = accuracy(predict_logits(model, x_val), y_val)
        print(f"epoch {epoch:2d}/{epochs}  loss {total_loss / len(x_tr):.4f}  "
              f"val_acc {val_acc:.4f}  ({time.time() - t0:.1f}s)", flush=True)
        if val_acc > best[0]:
            best = (val_acc, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
    model.load_state_dict(best[1])
    print(f"best epoch by validation accuracy: {best[2]} (val_acc {best[0]:.4f})")
    return best[2]


# --------------------------------------------------------------------------- held-out reference

HISTOGRAM_BINS = 20          # must match LabelStatsState.HistogramBins (width 0.05 on [0, 1])
QUANTILE_POINTS = 1001       # empirical CDF of calibrated confidence, for KS/Wasserstein


def collect_holdout_outputs(model, x_val, y_val):
    """Logits and labels of the held-out validation split: the only source of reference.json."""
    logits = predict_logits(model, x_val)
    return {"logits": logits, "labels": y_val, "accuracy": accuracy(logits, y_val)}


def fit_temperature(logits, labels):
    """Temperature scaling (Guo et al. 2017): the T > 0 minimizing NLL of softmax(logits / T) on held-out data."""
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.exp().item())


def expected_calibration_error(confidence, correct, bins=15):
    edges = torch.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > lo) & (confidence <= hi)
        if in_bin.any():
            ece += in_bin.float().mean().item() * abs(
                confidence[in_bin].mean().item() - correct[in_bin].float().mean().item())
    return ece


def write_reference(holdout, out_dir, version, config_path):
    """reference.json: what healthy predictions look like, for drift detection and accuracy estimation.

    Everything is computed from calibrated confidences, i.e. softmax(logits / temperature), which is also what
    the silos serve (config.json "temperature").
    """
    logits, labels = holdout["logits"], holdout["labels"]
    temperature = fit_temperature(logits, labels)
    raw_conf, pred = F.softmax(logits, 1).max(1)
    conf = F.softmax(logits / temperature, 1).max(1).values
    correct = pred == labels
    n = len(labels)
    predicted_counts = torch.bincount(pred, minlength=NUM_CLASSES)
    true_counts = torch.bincount(labels, minlength=NUM_CLASSES)
    hist = torch.histc(conf.clamp(0, 1 - 1e-9), bins=HISTOGRAM_BINS, min=0, max=1)
    quantiles = torch.quantile(conf.double(), torch.linspace(0, 1, QUANTILE_POINTS, dtype=torch.float64))
    per_label = []
    for c in range(NUM_CLASSES):
        mask = pred == c
        per_label.append({
            "label": CLASS_NAMES[c],
            "predictedShare": round(predicted_counts[c].item() / n, 6),
            "trueShare": round(true_counts[c].item() / n, 6),
            "meanConfidence": round(conf[mask].mean().item(), 6) if mask.any() else 0.0,
            "precision": round(correct[mask].float().mean().item(), 6) if mask.any() else 0.0,
        })
    reference = {
        "model": "fashion-mnist",
        "version": version,
        "source": "held-out validation split of the training set (val-indices.json)",
        "count": n,
        "accuracy": round(holdout["accuracy"], 6),
        "calibration": {
            "method": "temperature-scaling",
            "temperature": round(temperature, 6),
            "eceBefore": round(expected_calibration_error(raw_conf, correct), 6),
            "eceAfter": round(expected_calibration_error(conf, correct), 6),
            "meanCalibratedConfidence": round(conf.mean().item(), 6),
        },
        "labels": per_label,
        "confidenceHistogram": {"bins": HISTOGRAM_BINS, "counts": [int(v) for v in hist.tolist()]},
        "confidenceQuantiles": [round(v, 6) for v in quantiles.tolist()],
    }
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    set_config_temperature(config_path, temperature)
    print(f"temperature {temperature:.4f}; ECE {reference['calibration']['eceBefore']:.4f} -> "
          f"{reference['calibration']['eceAfter']:.4f}; mean calibrated confidence "
          f"{reference['calibration']['meanCalibratedConfidence']:.4f} vs accuracy {holdout['accuracy']:.4f}")
    return reference


def set_config_temperature(path, temperature):
    """Writes the fitted temperature into config.json, leaving its other (hand-written) keys as they are.

    A version's own config.json is created when missing: it holds only what differs from the model's config.json.
    """
    config = {}
    if os.path.exists(path):
        with open(path) as f:
            config = json.load(f)
    config["temperature"] = round(temperature, 6)
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


# --------------------------------------------------------------------------- export / verify

def export_onnx(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    dummy = torch.zeros(2, 1, 28, 28, dtype=torch.float32)
    torch.onnx.export(
        model, dummy, path,
        opset_version=OPSET,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
        do_constant_folding=True,
    )


def verify_onnx(path, model, x_sample):
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)

    def sig(v):
        t = v.type.tensor_type
        return (v.name, t.elem_type, [d.dim_param or d.dim_value for d in t.shape.dim])

    ins = [sig(v) for v in m.graph.input]
    outs = [sig(v) for v in m.graph.output]
    assert ins == [("input", onnx.TensorProto.FLOAT, ["N", 1, 28, 28])], ins
    assert outs == [("logits", onnx.TensorProto.FLOAT, ["N", NUM_CLASSES])], outs
    opset = {o.domain: o.version for o in m.opset_import}.get("", None)
    assert opset == OPSET, opset
    print(f"onnx.checker OK: inputs {ins}, outputs {outs}, opset {opset}")

    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not available; skipping ONNX-vs-torch numerical comparison")
        return None
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    ort_out = sess.run(["logits"], {"input": x_sample.numpy()})[0]
    ref = predict_logits(model, x_sample).numpy()
    diff = float(np.abs(ort_out - ref).max())
    print(f"onnxruntime vs torch: max |diff| = {diff:.2e}")
    assert diff < 1e-3, diff
    return diff


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--version", default="1")
    ap.add_argument("--arch", choices=["cnn3", "cnn2"], default="cnn3")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--shuffle-labels", action="store_true")
    args = ap.parse_args()

    # Version 1's files are the model-level defaults; any other version keeps its own beside its model.onnx.
    version_dir = os.path.join(args.out_dir, args.version)
    files_dir = args.out_dir if args.version == "1" else version_dir
    os.makedirs(files_dir, exist_ok=True)

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    t_start = time.time()

    train_u8, train_y = load_split(args.data_dir, "train")
    test_u8, test_y = load_split(args.data_dir, "t10k")
    tr_idx, val_idx = make_val_split(len(train_u8))
    with open(os.path.join(args.out_dir, "val-indices.json"), "w") as f:
        json.dump({"seed": SEED, "source": "train-images-idx3-ubyte", "count": len(val_idx),
                   "indices": val_idx.tolist()}, f, separators=(",", ":"))
        f.write("\n")

    x_all = preprocess(train_u8)
    y_all = torch.from_numpy(train_y)
    x_tr, y_tr = x_all[tr_idx], y_all[tr_idx]
    x_val, y_val = x_all[val_idx], y_all[val_idx]
    if args.shuffle_labels:
        # A model that learned nothing about garments: its accuracy on true labels collapses to chance (~0.1).
        y_tr = y_tr[torch.randperm(len(y_tr), generator=torch.Generator().manual_seed(args.seed))]
    x_te, y_te = preprocess(test_u8), torch.from_numpy(test_y)
    print(f"train {len(x_tr)}  val {len(x_val)}  test {len(x_te)}")

    model = FashionCnn() if args.arch == "cnn3" else SmallFashionCnn()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params:,}")

    t_train = time.time()
    best_epoch = train(model, x_tr, y_tr, x_val, y_val, args.epochs, args.seed)
    train_seconds = time.time() - t_train

    holdout = collect_holdout_outputs(model, x_val, y_val)
    write_reference(holdout, files_dir, args.version, os.path.join(files_dir, "config.json"))

    test_logits = predict_logits(model, x_te)
    test_acc = accuracy(test_logits, y_te)
    pred = test_logits.argmax(1)
    per_class = {CLASS_NAMES[c]: (pred[y_te == c] == c).float().mean().item()
                 for c in range(NUM_CLASSES)}
    print(f"validation accuracy: {holdout['accuracy']:.4f}")
    print(f"test accuracy:       {test_acc:.4f}")
    for name, acc in per_class.items():
        print(f"  {name:<12} {acc:.4f}")

    onnx_path = os.path.join(version_dir, "model.onnx")
    export_onnx(model, onnx_path)
    ort_diff = verify_onnx(onnx_path, model, x_te[:256])

    # CPU latency of the torch model at batch 32 (indicative only)
    model.eval()
    xb = x_te[:32]
    with torch.no_grad():
        for _ in range(5):
            model(xb)
        t0 = time.time()
        reps = 50
        for _ in range(reps):
            model(xb)
    ms_per_image = (time.time() - t0) / reps / 32 * 1000

    metrics = {
        "version": args.version, "arch": args.arch, "shuffled_labels": args.shuffle_labels,
        "seed": args.seed, "split_seed": SEED, "epochs": args.epochs, "best_epoch": best_epoch,
        "parameters": n_params, "onnx_bytes": os.path.getsize(onnx_path),
        "train_size": len(x_tr), "val_size": len(x_val), "test_size": len(x_te),
        "val_accuracy": round(holdout["accuracy"], 4), "test_accuracy": round(test_acc, 4),
        "test_per_class_accuracy": {k: round(v, 4) for k, v in per_class.items()},
        "train_seconds": round(train_seconds, 1), "total_seconds": round(time.time() - t_start, 1),
        "torch_cpu_ms_per_image_batch32": round(ms_per_image, 4),
        "onnxruntime_max_abs_diff": ort_diff,
        "torch_version": torch.__version__, "threads": torch.get_num_threads(),
    }
    with open(os.path.join(files_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(json.dumps(metrics, indent=2))
    if test_acc < 0.89 and not args.shuffle_labels:
        print("ERROR: test accuracy below the 0.89 acceptance threshold", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
