"""Shared helpers for the benchmarks: percentiles, RSS, result files."""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
WORK = Path(os.environ.get("REE_BENCH_DIR", Path(__file__).resolve().parent / ".data"))


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {
        "n": len(ordered),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "max_ms": round(ordered[-1], 3),
    }


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {
        "bench": name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        **data,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return path


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - t) * 1000


HCM = [
    "Quận 1",
    "Quận 3",
    "Quận 7",
    "Quận 10",
    "Bình Thạnh",
    "Gò Vấp",
    "Phú Nhuận",
    "Thủ Đức",
    "Tân Bình",
    "Bình Tân",
]
HN = ["Cầu Giấy", "Đống Đa", "Tây Hồ", "Thanh Xuân", "Hà Đông", "Nam Từ Liêm", "Hoàng Mai"]
VI_TEMPLATES = [
    "Tìm căn hộ {br}PN {d} dưới {p} tỷ",
    "can ho {br}pn {d} duoi {p} ty",
    "nhà hẻm xe hơi {d} khoảng {p} tỷ",
    "chung cư {d} {br} phòng ngủ có hồ bơi",
    "cho thuê căn hộ {d} dưới {r} triệu",
    "đất nền {d} dưới {p} tỷ sổ hồng",
    "nhà phố {d} từ {p} tỷ, hướng đông nam",
    "căn hộ view sông {d} full nội thất",
    "căn hộ yên tĩnh gần công viên {d}",
    "nhà đẹp gần chợ {d} dưới {p} tỷ, hàng xóm thân thiện",
    "chung cư cao cấp {d} có sân chơi cho trẻ em",
]
EN_TEMPLATES = [
    "Find apartments in {d} under {p} billion",
    "{br} bedroom apartment in {d} for rent under {r} million",
    "quiet apartment near the park in {d}",
]


def realistic_queries(n: int, seed: int = 3) -> list[str]:
    """Questions shaped like real traffic (places, budgets, rooms, features), vi and en."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        english = rng.random() < 0.15
        template = rng.choice(EN_TEMPLATES if english else VI_TEMPLATES)
        d = rng.choice(HCM + HN)
        if english and d.startswith("Quận"):
            d = "District " + d.split()[1]
        out.append(
            template.format(
                d=d,
                br=rng.randint(1, 3),
                p=rng.choice([2, 3, 4, 5, 7, 10]),
                r=rng.choice([8, 12, 15, 20, 30]),
            )
        )
    return out


MOODS = [
    "yên tĩnh",
    "thoáng mát",
    "sang trọng",
    "hiện đại",
    "ấm cúng",
    "rộng rãi",
    "mới xây",
    "view đẹp",
    "nhiều cây xanh",
    "gió mát",
]
NEAR = [
    "công viên",
    "bệnh viện",
    "siêu thị",
    "chợ Bến Thành",
    "sân bay",
    "bờ sông",
    "trung tâm",
    "trường quốc tế",
    "nhà thờ",
    "khu ẩm thực",
]


def unique_text_queries(n: int, seed: int = 9) -> list[str]:
    """Questions whose free text differs each time, so every query embedding is computed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < n:
        a, b = rng.sample(MOODS, 2)
        seen.add(f"căn hộ {rng.choice(HCM + HN)} {a} {b} gần {rng.choice(NEAR)}")
    return sorted(seen)
