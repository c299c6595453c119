"""Running a command as a user would, and measuring it: wall-clock seconds and
the peak memory of its whole process tree (the command and its worker
processes, sampled from /proc every 50 ms; on a system without /proc, the
command's own peak from its resource usage). Used by the benchmarks that
time whole ``quotecheck`` runs."""
from __future__ import annotations

import os
import subprocess
import threading
import time


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], stdout_path: str, env: dict | None = None) -> dict:
    """Run ``cmd`` (stdout to ``stdout_path``): ``{"seconds", "peak_mib", "status", "stderr",
    "command_mib", "worker_mib"}`` — the tree's peak, and the peaks of the command
    itself and of its largest child process."""
    peak = [0]
    each: dict[int, int] = {}
    with open(stdout_path, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=env)
        done = threading.Event()

        def sample():
            while not done.is_set():
                sizes = {p: _rss_kib(p) for p in _tree(proc.pid)}
                peak[0] = max(peak[0], sum(sizes.values()))
                for p, kib in sizes.items():
                    each[p] = max(each.get(p, 0), kib)
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.isdir("/proc"):
            sampler.start()
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        done.set()
        if sampler.is_alive():
            sampler.join()
    # KiB on Linux: the largest of the command and the children it waited for
    # (so not the command's own figure when /proc was sampled).
    own = usage.ru_maxrss
    children = [kib for p, kib in each.items() if p != proc.pid]
    return {"seconds": seconds, "peak_mib": max(peak[0], own) / 1024, "status": proc.returncode,
            "stderr": stderr, "command_mib": each.get(proc.pid, own) / 1024,
            "worker_mib": max(children, default=0) / 1024}
