"""Independent reference for heterogeneous effects (docs/dimensions.md#heterogeneous-effects), from the raw rows.

Writes pulse-core/src/test/resources/heterogeneity/{exposures,events}.csv.gz (a seeded simulation) and expected.json:
for each dimension value, metric and treatment, the value's effect, the effect among all other units of the
experiment, their difference with its standard error, Welch–Satterthwaite degrees of freedom over the four groups,
two-sided p-value and 95 % interval (scipy's Student t), and the Holm-corrected p-value across the dimension's
values. Everything is computed from the per-unit values with numpy, applying docs/concepts.md's rules row by row
(a unit's dimension value is the one on its first exposure; rows count from the first exposure through the end);
no formula of Pulse's Java code is used.

Experiment 'exp', 2026-03-01 to 2026-03-14, groups control and treatment (50/50), unit user_id; dimensions
country (top 3 values reported, BR and NULL pooled into '(other)') and platform. The treatment raises revenue by
10 % everywhere except JP, where it raises it by 60 %: JP's effect should be flagged, no other.

Run:  python3 pulse-core/src/test/python/reference_heterogeneity.py
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
OUT = os.path.join(HERE, "..", "resources", "heterogeneity")
START = dt.datetime(2026, 3, 1)
END = dt.datetime(2026, 3, 15)  # end + 1 day, exclusive
ALPHA = 0.05
COUNTRIES = ["US"] * 500 + ["DE"] * 300 + ["JP"] * 200 + ["BR"] * 120 + [None] * 80
PLATFORMS = ["ios", "android", "web"]


def simulate():
    rng = np.random.default_rng(20261206)
    exposures, events = [], []
    for unit, country in enumerate(COUNTRIES, start=1):
        group = "treatment" if rng.random() < 0.5 else "control"
        first = START + dt.timedelta(seconds=int(rng.integers(0, 7 * 86400)))
        platform = PLATFORMS[int(rng.integers(0, 3))]
        exposures.append((unit, group, country, platform, first))
        if rng.random() < 0.1:  # a later exposure with other values: the first one's count
            later = first + dt.timedelta(hours=int(rng.integers(1, 48)))
            exposures.append((unit, group, "FR", PLATFORMS[(PLATFORMS.index(platform) + 1) % 3], later))
        lift = 1.0 if group == "control" else (1.6 if country == "JP" else 1.1)
        base = {"US": 20.0, "DE": 25.0, "JP": 15.0, "BR": 10.0, None: 12.0}[country]
        for _ in range(int(rng.poisson(3))):
            ts = first + dt.timedelta(seconds=int(rng.integers(-2 * 86400, 14 * 86400)))
            revenue = round(float(rng.gamma(2.0, base * lift / 2.0)), 2)
            events.append((unit, ts, revenue))
    return exposures, events


def gz(path):
    """A text file written gzipped, byte for byte the same on every run (no timestamp in the header)."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), newline="")


def write(exposures, events):
    os.makedirs(OUT, exist_ok=True)
    with gz(os.path.join(OUT, "exposures.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["user_id", "experiment", "grp", "country", "platform", "ts"])
        for unit, group, country, platform, ts in exposures:
            w.writerow([unit, "exp", group, "" if country is None else country, platform, ts.strftime("%Y-%m-%d %H:%M:%S")])
    with gz(os.path.join(OUT, "events.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["user_id", "ts", "revenue"])
        for unit, ts, revenue in events:
            w.writerow([unit, ts.strftime("%Y-%m-%d %H:%M:%S"), f"{revenue:.2f}"])


def group_estimate(x, y):
    """The group value R = x̄/ȳ and the variance of its estimate (delta method), from per-unit (X, Y)."""
    n = len(x)
    r = x.mean() / y.mean()
    c = np.cov(np.vstack([x, y]), ddof=1)
    v = (c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (n * y.mean() ** 2)
    return r, v, n


def effect(units, metric):
    """Treatment minus control: estimate, variance, and Σ V_g²/(n_g − 1) over the two groups."""
    parts = {}
    for group in ("control", "treatment"):
        chosen = [u for u in units if u["group"] == group]
        x = np.array([u["x"][metric] for u in chosen])
        y = np.array([u["y"][metric] for u in chosen])
        parts[group] = group_estimate(x, y)
    (rc, vc, nc), (rt, vt, nt) = parts["control"], parts["treatment"]
    return rt - rc, vt + vc, vt * vt / (nt - 1) + vc * vc / (nc - 1)


def holm(p):
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        adjusted[i] = running
    return adjusted


def main():
    exposures, events = simulate()
    write(exposures, events)
    units = {}
    for unit, group, country, platform, ts in sorted(exposures, key=lambda e: e[4]):
        if not (START <= ts < END):
            continue
        u = units.setdefault(unit, {"group": group, "first": ts, "country": country, "platform": platform})
    for u in units.values():
        u["x"] = {"revenue": 0.0, "revenue_per_event": 0.0}
        u["y"] = {"revenue": 1.0, "revenue_per_event": 0.0}
    for unit, ts, revenue in events:
        u = units.get(unit)
        if u is not None and u["first"] <= ts < END:
            u["x"]["revenue"] += revenue
            u["x"]["revenue_per_event"] += revenue
            u["y"]["revenue_per_event"] += 1.0
    all_units = list(units.values())

    buckets = {
        "country": lambda u: {"US": "US", "DE": "DE", "JP": "JP"}.get(u["country"], "(other)"),
        "platform": lambda u: u["platform"],
    }
    expected = []
    for dimension, bucket in buckets.items():
        values = sorted({bucket(u) for u in all_units})
        for metric in ("revenue", "revenue_per_event"):
            rows = []
            for value in values:
                inside = [u for u in all_units if bucket(u) == value]
                rest = [u for u in all_units if bucket(u) != value]
                d_value, v_value, w_value = effect(inside, metric)
                d_rest, v_rest, w_rest = effect(rest, metric)
                difference = d_value - d_rest
                variance = v_value + v_rest
                se = variance ** 0.5
                dof = variance ** 2 / (w_value + w_rest)
                p = 2 * stats.t.sf(abs(difference) / se, dof)
                q = stats.t.ppf(1 - ALPHA / 2, dof)
                rows.append({"dimension": dimension, "value": value, "metric": metric, "group": "treatment",
                             "value_effect": d_value, "rest_effect": d_rest, "rest_units": len(rest),
                             "difference": difference, "std_error": se, "ci_lower": difference - q * se,
                             "ci_upper": difference + q * se, "degrees_of_freedom": dof, "p_value": p})
            adjusted = holm(np.array([r["p_value"] for r in rows]))
            for r, a in zip(rows, adjusted):
                r["adjusted_p_value"] = float(a)
                r["flagged"] = bool(a <= ALPHA)
                r["family_size"] = len(rows)
            expected.extend(rows)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"tests": expected}, f, indent=1)
        f.write("\n")
    for r in expected:
        if r["flagged"]:
            print("flagged:", r["dimension"], r["value"], r["metric"], r["adjusted_p_value"])


if __name__ == "__main__":
    main()
