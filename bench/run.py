"""Run the benchmark set (`make bench`): retrieval and chat turn at 10k listings.

The 100k and 1M runs take long to build (embeddings); run them explicitly:
`python bench/bench_retrieval.py --n 100000`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script, args in (("bench_retrieval.py", ["--n", "10000"]), ("bench_turn.py", ["--n", "10000"])):
    subprocess.run([sys.executable, str(HERE / script), *args], check=True, cwd=HERE)
