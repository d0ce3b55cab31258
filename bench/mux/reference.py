#!/usr/bin/env python3
"""One benchmark phase run by the reference implementation (Avocado's yaml_to_mux), in a process of its own.

    AVOCADO_SRC=/path/to/avocado python3 bench/mux/reference.py FILE PHASE KEY

PHASE is load, iterate, leaves, ids or params, as in phase.ts (iterate and leaves are the same here: the
reference's iteration builds each variant's list of leaves). Prints one JSON line like phase.ts.
"""
import json
import os
import resource
import sys
import time

source = os.environ["AVOCADO_SRC"]
sys.path.insert(0, os.path.join(source, "optional_plugins", "varianter_yaml_to_mux"))
sys.path.insert(0, source)

from avocado.core import parameters, varianter  # noqa: E402
from avocado_varianter_yaml_to_mux import mux  # noqa: E402
from avocado_varianter_yaml_to_mux import varianter_yaml_to_mux as y2m  # noqa: E402

path, phase, key = sys.argv[1:4]

load_start = time.perf_counter()
root = mux.MuxTreeNode()
root.merge(y2m.create_from_yaml([path]))
root = mux.apply_filters(root, [], [])
load_ms = (time.perf_counter() - load_start) * 1000

count = 0
start = time.perf_counter()
if phase in ("iterate", "leaves"):
    for variant in mux.MuxTree(root):
        count += 1
elif phase == "ids":
    for variant in mux.MuxTree(root):
        varianter.generate_variant_id(variant)
        count += 1
elif phase == "params":
    for variant in mux.MuxTree(root):
        parameters.AvocadoParams(variant, ["/run/*"]).get(key)
        count += 1
phase_ms = load_ms if phase == "load" else (time.perf_counter() - start) * 1000

print(json.dumps({
    "phase": phase,
    "ms": phase_ms,
    "count": count,
    "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
