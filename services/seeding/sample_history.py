"""Plausible progress histories for sample and synthetic items.

The last step of a plan always equals the item's current status and progress, the same
invariant the update service keeps."""
from __future__ import annotations

import random
from datetime import date, timedelta

from models.enums import ItemStatus

Step = tuple[date, str, int]


def pick_state(rng: random.Random, start: date, due: date, today: date) -> tuple[str, int]:
    """A final status and progress roughly in line with the schedule, with some slippage."""
    if today < start:
        return ItemStatus.NOT_STARTED.value, 0
    roll = rng.random()
    if roll < 0.05:
        return ItemStatus.CANCELLED.value, rng.choice([0, 10, 20])
    if roll < 0.12:
        return ItemStatus.ON_HOLD.value, rng.randrange(10, 60, 5)
    span = max((due - start).days, 1)
    expected = min(1.0, (today - start).days / span) * 100
    progress = int(max(0, min(100, expected * rng.uniform(0.45, 1.25))) // 5 * 5)
    if progress >= 100 or (today > due and rng.random() < 0.6):
        return ItemStatus.COMPLETED.value, 100
    if progress == 0:
        return ItemStatus.NOT_STARTED.value, 0
    return ItemStatus.IN_PROGRESS.value, progress


def plan_history(
    rng: random.Random, start: date, today: date, final_status: str, final_progress: int,
    *, max_steps: int = 8, n_steps: int | None = None,
) -> list[Step]:
    """Dated steps from the start towards the final state, never after `today`.

    `n_steps` forces the length (synthetic data needs exact totals); steps fall on
    distinct days, so at most (today - start).days + 1 of them."""
    if final_status == ItemStatus.NOT_STARTED or start > today:
        return []
    elapsed = (today - start).days
    days = max(elapsed, 1)
    if n_steps is None:
        n = max(1, min(max_steps, days // 21 + rng.randint(0, 2)))
    else:
        n = max(1, n_steps)
    # range(elapsed + 1), not days + 1: an item starting today must not get a step tomorrow.
    offsets = sorted(rng.sample(range(elapsed + 1), min(n, elapsed + 1)))
    steps: list[Step] = []
    for i, offset in enumerate(offsets, start=1):
        when = start + timedelta(days=offset)
        if i == len(offsets):
            steps.append((when, final_status, final_progress))
            continue
        target = final_progress if final_status != ItemStatus.COMPLETED else 95
        progress = max(5, int(target * i / len(offsets)) // 5 * 5)
        steps.append((when, ItemStatus.IN_PROGRESS.value, min(progress, 95)))
    return steps
