"""Independent reference for interactions between two experiments (docs/interactions.md), from the raw rows.

Writes pulse-core/src/test/resources/interactions/{exposures,events}.csv.gz (a seeded simulation) and expected.json:
for experiment 'a' against experiment 'b' (both randomized by user_id, in one assignment source): the units of a's
groups by b's group (a unit b does not count — not exposed to b, in two of b's groups, or exposed outside b's dates
— is '(not in experiment)'), Pearson's chi-square test of independence over the units in both (scipy's
chi2_contingency without continuity correction), and for each metric a's treatment effect within each of b's groups
(delta method from the per-unit values) with Cochran's Q test of their equality (scipy's chi2) and Holm's correction
over the metrics. No formula of Pulse's Java code is used.

a: 2026-03-01 to 2026-03-14, control / treatment. b: 2026-03-03 to 2026-03-20, control / v1 / v2, exposing 70 % of
a's units and some of its own. a's treatment adds 2 to revenue per event in b's control and v1, 8 in v2: an
interaction. Metrics: revenue (sum per unit) and revenue_per_event (ratio).

Run:  python3 pulse-core/src/test/python/reference_interactions.py
"""
import csv
import gzip
import io
import datetime as dt
import json
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "interactions")
A_START, A_END = dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 15)
B_START, B_END = dt.datetime(2026, 3, 3), dt.datetime(2026, 3, 21)
NOT_IN = "(not in experiment)"
B_GROUPS = ["control", "v1", "v2"]


def simulate():
    rng = np.random.default_rng(20261207)
    exposures, events = [], []
    for unit in range(1, 1201):
        a_group = "treatment" if rng.random() < 0.5 else "control"
        a_first = A_START + dt.timedelta(seconds=int(rng.integers(0, 10 * 86400)))
        exposures.append((unit, "a", a_group, a_first))
        b_group = None
        if rng.random() < 0.7:
            b_group = B_GROUPS[int(rng.integers(0, 3))]
            b_first = B_START + dt.timedelta(seconds=int(rng.integers(-86400, 17 * 86400)))  # some before b's start
            exposures.append((unit, "b", b_group, b_first))
            if rng.random() < 0.03:  # seen in a second group of b: not counted by b
                exposures.append((unit, "b", B_GROUPS[(B_GROUPS.index(b_group) + 1) % 3], b_first + dt.timedelta(hours=2)))
        lift = 0.0
        if a_group == "treatment":
            lift = 8.0 if b_group == "v2" else 2.0
        for _ in range(int(rng.poisson(4))):
            ts = a_first + dt.timedelta(seconds=int(rng.integers(-86400, 12 * 86400)))
            events.append((unit, ts, round(float(rng.gamma(2.0, 10.0)) + lift, 2)))
    for unit in range(1201, 1351):  # b's own units, never in a
        exposures.append((unit, "b", B_GROUPS[int(rng.integers(0, 3))], B_START + dt.timedelta(days=1)))
    return exposures, events


def gz(path):
    """A text file written gzipped, byte for byte the same on every run (no timestamp in the header)."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), newline="")


def write(exposures, events):
    os.makedirs(OUT, exist_ok=True)
    with gz(os.path.join(OUT, "exposures.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["user_id", "experiment", "grp", "ts"])
        for unit, experiment, group, ts in exposures:
            w.writerow([unit, experiment, group, ts.strftime("%Y-%m-%d %H:%M:%S")])
    with gz(os.path.join(OUT, "events.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["user_id", "ts", "revenue"])
        for unit, ts, revenue in events:
            w.writerow([unit, ts.strftime("%Y-%m-%d %H:%M:%S"), f"{revenue:.2f}"])


def counted(exposures, experiment, start, end):
    """Each counted unit's group and first exposure: one group among its exposures inside the dates."""
    seen = {}
    for unit, name, group, ts in exposures:
        if name == experiment and start <= ts < end:
            s = seen.setdefault(unit, {"groups": set(), "first": ts})
            s["groups"].add(group)
            s["first"] = min(s["first"], ts)
    return {u: (next(iter(s["groups"])), s["first"]) for u, s in seen.items() if len(s["groups"]) == 1}


def effect(units, metric):
    parts = {}
    for group in ("control", "treatment"):
        chosen = [u for u in units if u["group"] == group]
        x = np.array([u["x"][metric] for u in chosen])
        y = np.array([u["y"][metric] for u in chosen])
        r = x.mean() / y.mean()
        c = np.cov(np.vstack([x, y]), ddof=1)
        parts[group] = (r, (c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (len(x) * y.mean() ** 2))
    return parts["treatment"][0] - parts["control"][0], parts["treatment"][1] + parts["control"][1]


def main():
    exposures, events = simulate()
    write(exposures, events)
    a = counted(exposures, "a", A_START, A_END)
    b = counted(exposures, "b", B_START, B_END)
    units = {u: {"group": g, "first": first, "b": b[u][0] if u in b else NOT_IN,
                 "x": {"revenue": 0.0, "revenue_per_event": 0.0}, "y": {"revenue": 1.0, "revenue_per_event": 0.0}}
             for u, (g, first) in a.items()}
    for unit, ts, revenue in events:
        u = units.get(unit)
        if u is not None and u["first"] <= ts < A_END:
            u["x"]["revenue"] += revenue
            u["x"]["revenue_per_event"] += revenue
            u["y"]["revenue_per_event"] += 1.0
    table = {g: {v: sum(1 for u in units.values() if u["group"] == g and u["b"] == v) for v in B_GROUPS + [NOT_IN]}
             for g in ("control", "treatment")}
    observed = np.array([[table[g][v] for v in B_GROUPS] for g in ("control", "treatment")])
    chi2, p, dof, _ = stats.chi2_contingency(observed, correction=False)
    effects = []
    for metric in ("revenue", "revenue_per_event"):
        by_group = {}
        for v in B_GROUPS:
            d, var = effect([u for u in units.values() if u["b"] == v], metric)
            by_group[v] = {"estimate": d, "std_error": var ** 0.5}
        w = np.array([1 / g["std_error"] ** 2 for g in by_group.values()])
        d = np.array([g["estimate"] for g in by_group.values()])
        mean = (w * d).sum() / w.sum()
        q = float((w * (d - mean) ** 2).sum())
        effects.append({"metric": metric, "group": "treatment", "by_group": by_group, "q": q,
                        "degrees_of_freedom": len(d) - 1, "p_value": float(stats.chi2.sf(q, len(d) - 1))})
    ps = [e["p_value"] for e in effects]
    order = np.argsort(ps)
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - k) * ps[i]))
        effects[i]["adjusted_p_value"] = running
        effects[i]["flagged"] = bool(running <= 0.05)
    expected = {"units": table, "chi_square": chi2, "degrees_of_freedom": int(dof), "p_value": p, "effects": effects}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("chi2", chi2, p, [(e["metric"], e["p_value"], e["flagged"]) for e in effects])


if __name__ == "__main__":
    main()
