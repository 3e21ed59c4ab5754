"""Who used the CPU while a load ran: the 1-minute load average every few seconds, and the
CPU-seconds used by groups of processes (read from /proc, Linux only)."""
from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Optional


class CpuSampler:
    """The 1-minute load average every few seconds, and the CPU time used during the run by the
    browser (this process's other descendants), the dashboard processes, nginx, this process,
    PostgreSQL (all its processes on the machine) and the whole machine (anyone's work)."""

    def __init__(self, app_pids: set[int], every_s: float = 3.0):
        self.app_pids, self.every_s = app_pids, every_s
        self.load: list[float] = []
        self.first: dict[int, float] = {}  # CPU-seconds at the first sample (later processes: 0)
        self.last: dict[int, tuple[str, float]] = {}  # group and CPU-seconds at the latest sample
        self.machine: list[float] = []  # the machine's busy CPU-seconds at each sample

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.every_s)

    def sample(self) -> None:
        self.load.append(os.getloadavg()[0])
        tick = os.sysconf("SC_CLK_TCK")
        procs = _processes()
        mine = _descendants(os.getpid(), procs)
        first = not self.last
        for pid, (comm, _, ticks) in procs.items():
            group = self._group(pid, comm, mine)
            if group:
                self.first.setdefault(pid, ticks / tick if first else 0.0)
                self.last[pid] = (group, ticks / tick)
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        self.machine.append((sum(fields) - fields[3] - fields[4]) / tick)  # all but idle and iowait

    def _group(self, pid: int, comm: str, mine: set[int]) -> Optional[str]:
        if pid in self.app_pids:
            return "dashboard processes"
        if comm == "postgres":
            return "PostgreSQL"
        if pid == os.getpid():
            return "this check (Python)"
        if pid in mine:
            return "nginx" if comm == "nginx" else "Chromium and its driver"
        return None

    def used(self) -> dict[str, float]:
        used: Counter = Counter()
        for pid, (group, cpu) in self.last.items():
            used[group] += cpu - self.first[pid]
        if self.machine:
            used["whole machine"] = self.machine[-1] - self.machine[0]
        return dict(used)


def _processes() -> dict[int, tuple[str, int, int]]:
    """pid -> (command name, parent pid, user+system clock ticks) of every process readable."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    raw = f.read()
            except OSError:
                continue  # ended meanwhile
            comm, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
            found[int(entry.name)] = (comm, int(rest[1]), int(rest[11]) + int(rest[12]))
    return found


def _descendants(root: int, procs: dict[int, tuple[str, int, int]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (_, ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found
