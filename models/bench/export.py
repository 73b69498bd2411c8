#!/usr/bin/python3
"""Benchmark models and photo-like inputs for `mlwatch bench` (issue "Photos at the speed of the model").

Exports torchvision's MobileNetV2 (224x224) and Inception V3 (299x299) architectures with 1,000 classes and RANDOM
weights (no pretrained weights can be had here): they measure the cost of serving an ImageNet-sized model, never its
accuracy. Each goes to models/bench/generated/<name>/ in the layout of models/ (config.json, labels.txt, 1/model.onnx,
README.md), and photo-like JPEG inputs (about 200 KB each, crops of the real photos Debian's darknet package ships)
go to models/bench/generated/photos/. The folder is git-ignored; run this once per checkout:

    /usr/bin/python3 models/bench/export.py            # needs python3-torch python3-torchvision python3-onnx python3-pil darknet

Debian's Python packages belong to /usr/bin/python3, not to the python3 first on PATH.
"""
import io
import json
import os
import sys

import torch
import torchvision
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "generated")
PHOTOS_IN = "/usr/share/darknet/data"
CLASSES = 1000
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

MODELS = {
    # name: (constructor, input size, dynamic batcher's largest batch)
    "mobilenet-v2": (lambda: torchvision.models.mobilenet_v2(weights=None, num_classes=CLASSES), 224, 16),
    "inception-v3": (lambda: torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True, num_classes=CLASSES), 299, 8),
}


def export(name, build, size, max_batch):
    directory = os.path.join(OUT, name)
    os.makedirs(os.path.join(directory, "1"), exist_ok=True)
    torch.manual_seed(0)
    model = build().eval()
    dummy = torch.randn(1, 3, size, size)
    path = os.path.join(directory, "1", "model.onnx")
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    config = {
        "name": name, "version": "1", "inputName": "input", "outputName": "logits", "layout": "NCHW",
        "width": size, "height": size, "channels": 3, "scale": 255.0,
        "mean": IMAGENET_MEAN, "std": IMAGENET_STD, "outputKind": "logits", "maxBatchSize": max_batch,
    }
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(directory, "labels.txt"), "w") as f:
        f.write("".join(f"class-{i:03d}\n" for i in range(CLASSES)))
    parameters = sum(p.numel() for p in model.parameters())
    with open(os.path.join(directory, "README.md"), "w") as f:
        f.write(f"# {name} (benchmark model, random weights)\n\n"
                f"torchvision's `{build().__class__.__name__}` architecture, {parameters:,} parameters, {size}x{size} RGB input "
                f"normalized with the ImageNet mean/std, {CLASSES} classes named class-000..class-999.\n\n"
                "**The weights are random** (no pretrained weights are available here): the model measures what it costs "
                "to serve a network of this size, never accuracy. Its predictions mean nothing; do not monitor drift on it.\n\n"
                "Made by `models/bench/export.py`.\n")
    print(f"{name}: {path} ({os.path.getsize(path) / 1e6:.1f} MB, {parameters:,} parameters)")


def photos(count=48, target_bytes=200_000):
    """Crops of the darknet photos, resized to 640-1000 px and JPEG-encoded at the quality that gives about 200 KB."""
    directory = os.path.join(OUT, "photos")
    os.makedirs(directory, exist_ok=True)
    sources = sorted(f for f in os.listdir(PHOTOS_IN) if f.endswith(".jpg"))
    if not sources:
        sys.exit(f"No photos under {PHOTOS_IN}: install Debian's darknet package.")
    written = []
    for i in range(count):
        image = Image.open(os.path.join(PHOTOS_IN, sources[i % len(sources)])).convert("RGB")
        w, h = image.size
        # Deterministic crops: a different window and size per index.
        side = int(min(w, h) * (0.6 + 0.4 * ((i * 7) % 10) / 10))
        left = (i * 37) % max(1, w - side)
        top = (i * 53) % max(1, h - side)
        crop = image.crop((left, top, left + side, top + side))
        edge = 640 + (i * 29) % 360
        crop = crop.resize((edge, edge), Image.BICUBIC)
        if i % 2:
            crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        low, high, best = 40, 98, None
        while low <= high:
            quality = (low + high) // 2
            buffer = io.BytesIO()
            crop.save(buffer, "JPEG", quality=quality)
            if buffer.tell() <= target_bytes:
                best, low = buffer.getvalue(), quality + 1
            else:
                high = quality - 1
        if best is None:
            best = buffer.getvalue()
        path = os.path.join(directory, f"photo-{i:03d}.jpg")
        with open(path, "wb") as f:
            f.write(best)
        written.append(len(best))
    print(f"photos: {len(written)} JPEGs in {directory}, {min(written) // 1024}-{max(written) // 1024} KiB")


if __name__ == "__main__":
    for model_name, (constructor, input_size, batch) in MODELS.items():
        export(model_name, constructor, input_size, batch)
    photos()
