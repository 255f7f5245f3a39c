#!/usr/bin/env python3
"""Independent reference for funnel metrics (docs/metric-types.md#funnel), from raw rows.

Command (from the repository root; the output is checked in):

    python3 pulse-core/src/test/python/reference_funnel.py \
        pulse-core/src/test/resources/reference/funnel_reference.json

The rows are those of FunnelFetcherTest (pulse-core/src/test/java/dev/pulse/analysis/FunnelFetcherTest.java).
Nothing here uses Pulse code or SQL: per unit, the counted rows are picked by plain Python
(timestamp in [first exposure, end)), the step times are found by walking each step's rows in time
order, and the comparison is the delta method on the per-unit (X, Y) with numpy (ddof=1) and the
Welch-Satterthwaite t test from scipy, as in pulse-stats/src/test/python/make_reference.py.
"""
import json
import math
import platform
import sys
from datetime import datetime, timedelta

import numpy as np
import scipy
from scipy import stats

ALPHA = 0.05
END = datetime(2026, 3, 4)  # the day after the experiment's last day, 2026-03-03


def t(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


EXPOSURES = [  # (org, group, exposed at)
    (1, "control", "2026-03-01 00:00:00"), (2, "control", "2026-03-01 00:00:00"),
    (3, "control", "2026-03-01 12:00:00"), (4, "control", "2026-03-01 00:00:00"),
    (5, "control", "2026-03-01 00:00:00"), (6, "control", "2026-03-01 00:00:00"),
    (6, "control", "2026-03-02 00:00:00"), (7, "treat", "2026-03-01 00:00:00"),
    (8, "treat", "2026-03-01 00:00:00"), (9, "treat", "2026-03-01 00:00:00"),
    (10, "treat", "2026-03-01 00:00:00"), (11, "control", "2026-03-01 00:00:00"),
    (11, "treat", "2026-03-01 01:00:00"), (12, "treat", "2026-03-02 00:00:00"),
]
EVENTS = [  # (org, ts, event)
    (1, "2026-03-01 10:00:00", "view"), (1, "2026-03-01 09:00:00", "cart"), (1, "2026-03-01 12:00:00", "cart"),
    (2, "2026-02-28 08:00:00", "view"), (2, "2026-03-01 08:00:00", "view"), (2, "2026-03-01 08:00:00", "cart"),
    (3, "2026-03-01 06:00:00", "view"), (3, "2026-03-01 13:00:00", "cart"),
    (5, "2026-03-01 01:00:00", None), (5, "2026-03-01 02:00:00", "view"),
    (6, "2026-03-01 05:00:00", "view"), (6, "2026-03-01 06:00:00", "cart"),
    (7, "2026-03-01 10:00:00", "view"), (7, "2026-03-02 09:59:59", "cart"),
    (8, "2026-03-01 01:00:00", "view"), (8, "2026-03-01 20:00:00", "view"), (8, "2026-03-02 15:00:00", "cart"),
    (9, "2026-03-03 23:00:00", "view"), (9, "2026-03-04 00:00:00", "cart"),
    (10, "2026-03-01 05:00:00", "view"), (10, "2026-03-01 06:00:00", "cart"),
    (11, "2026-03-01 05:00:00", "view"), (11, "2026-03-01 06:00:00", "cart"),
    (12, "2026-03-01 05:00:00", "view"), (12, "2026-03-02 01:00:00", "cart"), (12, "2026-03-02 02:00:00", "view"),
]
PURCHASES = [  # (org, ts)
    (1, "2026-03-02 10:00:00"), (2, "2026-03-01 08:00:00"), (5, "2026-03-01 03:00:00"), (6, "2026-03-01 07:00:00"),
    (7, "2026-03-02 09:00:00"), (7, "2026-03-02 10:00:00"), (8, "2026-03-02 16:00:00"), (10, "2026-03-01 07:00:00"),
    (11, "2026-03-01 07:00:00"), (12, "2026-03-02 03:00:00"),
]
STEPS = ["viewed", "carted", "bought"]
FUNNELS = {  # name: (window days, window from, ordered, denominator)
    "funnel_first": (1, "first_step", True, "first_step"),
    "funnel_previous": (1, "previous_step", True, "first_step"),
    "funnel_unordered": (1, "previous_step", False, "exposed"),
}


def units():
    """org -> (group, first exposure), for orgs exposed to exactly one group."""
    groups, first = {}, {}
    for org, group, ts in EXPOSURES:
        groups.setdefault(org, set()).add(group)
        first[org] = min(first.get(org, t(ts)), t(ts))
    return {org: (next(iter(g)), first[org]) for org, g in groups.items() if len(g) == 1}


def step_rows(org, exposed):
    """Per step, the unit's counted row times (NULL events match no step)."""
    rows = {step: [] for step in STEPS}
    for o, ts, event in EVENTS:
        if o == org and exposed <= t(ts) < END:
            if event == "view":
                rows["viewed"].append(t(ts))
            if event == "cart":
                rows["carted"].append(t(ts))
    for o, ts in PURCHASES:
        if o == org and exposed <= t(ts) < END:
            rows["bought"].append(t(ts))
    return rows


def reached(rows, window_days, window_from, ordered):
    """reached_k per step: walk the steps, taking each step's earliest qualifying row."""
    window = timedelta(days=window_days)
    times = []
    for k, step in enumerate(STEPS):
        candidates = sorted(rows[step])
        if k > 0:
            if len(times) < k:
                break
            start = times[0] if window_from == "first_step" else times[k - 1]
            candidates = [ts for ts in candidates if ts < start + window and (not ordered or ts >= times[k - 1])]
        if not candidates:
            break
        times.append(candidates[0])
    return [1.0 if k < len(times) else 0.0 for k in range(len(STEPS))]


def group_stats(x, y):
    n = len(x)
    value = float(np.sum(x) / np.sum(y))
    z = (x - value * y) / np.mean(y)
    return {"n": n, "value": value, "variance": float(np.var(z, ddof=1) / n)}


def comparison(xc, yc, xt, yt):
    c, tr = group_stats(xc, yc), group_stats(xt, yt)
    delta = tr["value"] - c["value"]
    se = math.sqrt(c["variance"] + tr["variance"])
    result = {"control_mean": c["value"], "treatment_mean": tr["value"], "control_units": c["n"],
              "treatment_units": tr["n"], "absolute_estimate": delta}
    if se == 0:
        result.update({"std_error": None, "p_value": None})
        return result
    nu = (c["variance"] + tr["variance"]) ** 2 / (
        tr["variance"] ** 2 / (tr["n"] - 1) + c["variance"] ** 2 / (c["n"] - 1))
    result.update({"std_error": se, "p_value": float(2 * stats.t.sf(abs(delta / se), nu))})
    return result


def main(path):
    counted = units()
    out = {"generator": {"command": "python3 pulse-core/src/test/python/reference_funnel.py "
                                    "pulse-core/src/test/resources/reference/funnel_reference.json",
                         "python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
           "funnels": {}}
    for name, (days, window_from, ordered, denominator) in FUNNELS.items():
        per_group = {"control": [], "treat": []}
        for org in sorted(counted):
            group, exposed = counted[org]
            per_group[group].append(reached(step_rows(org, exposed), days, window_from, ordered))
        values = {g: np.array(v) for g, v in per_group.items()}
        c, tr = values["control"], values["treat"]
        last = len(STEPS) - 1
        y_c = c[:, 0] if denominator == "first_step" else np.ones(len(c))
        y_t = tr[:, 0] if denominator == "first_step" else np.ones(len(tr))
        conversions = {"overall": comparison(c[:, last], y_c, tr[:, last], y_t)}
        for k in range(1, len(STEPS)):
            conversions[STEPS[k]] = comparison(c[:, k], c[:, k - 1], tr[:, k], tr[:, k - 1])
        out["funnels"][name] = conversions
    with open(path, "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
