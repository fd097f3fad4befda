"""Prints how many imports go from each of our top-level packages to each other one.

Run from the root of a checkout: ``.venv/bin/python .ci/import_graph.py``. Reads the code
statically (grimp, which import-linter uses), so nothing is imported or run.
"""

import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path.cwd()
CANDIDATES = ("core", "partners", "events", "societies", "association", "bench")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    packages = [name for name in CANDIDATES if (ROOT / name / "__init__.py").exists()]
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges: Counter[tuple[str, str]] = Counter()
    importers: dict[tuple[str, str], set[str]] = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            source, target = importer.split(".")[0], imported.split(".")[0]
            if source != target:
                edges[source, target] += 1
                importers.setdefault((source, target), set()).add(importer)
    print("importer -> imported: imports (modules importing, where the packages import each other)")
    for (source, target), count in sorted(edges.items()):
        back = (target, source) in edges
        modules = f"  both ways, from {', '.join(sorted(importers[source, target]))}" if back else ""
        print(f"{source:12} -> {target:12} {count:3}{modules}")


if __name__ == "__main__":
    main()
