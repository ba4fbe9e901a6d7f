#!/usr/bin/env python3
"""The crate's module graph from its `crate::` paths, and any cycle in it.

Every `crate::a::b` path in a file of `src/` (a `use`, or a path in the code) is an arrow
from the file's module to the module it names; the crate root's re-exports (`crate::Analysis`)
are resolved through `src/lib.rs`. Prints the arrows between the folders (input, geometry,
engine, output, synth, cli) and every cycle between files, and exits with 1 if there is one.

    python3 scripts/module_graph.py [src]
"""
import os
import re
import sys
from collections import defaultdict

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")


def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3]
    parts = rel.split(os.sep)
    if parts == ["main"]:
        # (the binary's root: its `crate::cli::...` paths name the binary's own modules)
        return "main"
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return "::".join(parts) or "crate"


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.split("\n"))


def test_free(text):
    """The text without `#[cfg(test)] mod ... { ... }` blocks (tests may use anything)."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\(crate\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


files = {}
for folder, _, names in os.walk(ROOT):
    for name in names:
        if name.endswith(".rs"):
            path = os.path.join(folder, name)
            files[module_of(path)] = test_free(strip_comments(open(path, encoding="utf-8").read()))
modules = set(files)

# The root's re-exports: `pub use engine::analysis::{Analysis, Engine};` and the like.
reexports = {}
for m in re.finditer(r"pub use ([\w:]+)::\{([^}]*)\};|pub use ([\w:]+)::(\w+);", files.get("crate", "")):
    base, names = (m.group(1), m.group(2).split(",")) if m.group(1) else (m.group(3), [m.group(4)])
    for n in names:
        n = n.strip().split(" as ")[-1]
        if n:
            reexports[n] = base


def resolve(path):
    """The longest module a `crate::` path names."""
    parts = path.split("::")
    if parts and parts[0] in reexports:
        parts = reexports[parts[0]].split("::") + parts[1:]
    for k in range(len(parts), 0, -1):
        name = "::".join(parts[:k])
        if name in modules:
            return name
    return None


edges = defaultdict(set)
for module, text in files.items():
    if module == "crate":
        continue
    # `use crate::{a::b, c::{d, e}}` and plain paths `crate::a::b::C`
    for m in re.finditer(r"crate::\{([^;]*)\}", text):
        for piece in re.findall(r"([\w]+(?:::[\w]+)*)", m.group(1)):
            target = resolve(piece)
            if target and target != module:
                edges[module].add(target)
    for m in re.finditer(r"crate::((?:\w+::)*\w+)", text):
        target = resolve(m.group(1))
        if target and target != module:
            edges[module].add(target)


def folder(module):
    return module.split("::")[0]


between = defaultdict(set)
for a, targets in edges.items():
    for b in targets:
        if folder(a) != folder(b):
            between[folder(a)].add(folder(b))
print("folders (each uses the ones after its arrow):")
for a in sorted(between):
    print(f"  {a} -> {', '.join(sorted(between[a]))}")

def cycles_of(graph, nodes):
    """The strongly connected components of more than one node (Tarjan)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]

    def strongconnect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            strongconnect(v)
    return found


sys.setrecursionlimit(10000)
cycles = cycles_of(edges, modules)
folder_cycles = cycles_of(dict(between), set(between) | {b for t in between.values() for b in t})
print(f"{len(modules)} modules, {sum(len(t) for t in edges.values())} arrows between them")
if cycles or folder_cycles:
    for c in cycles:
        print("cycle between files:", " <-> ".join(c))
    for c in folder_cycles:
        print("cycle between folders:", " <-> ".join(c))
    sys.exit(1)
print("no cycle")
