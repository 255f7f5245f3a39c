#!/usr/bin/env python3
"""Independent reference numbers for the threshold and retention metric types (docs/metric-types.md).

Command (from the repository root; the output is checked in):

    python3 pulse-core/src/test/python/reference_threshold_retention.py \
        pulse-core/src/test/resources/threshold_retention/expected.json

Everything is computed from the raw rows of pulse-core/src/test/resources/threshold_retention/*.csv
(the data ThresholdRetentionMomentsTest loads into DuckDB), without any Pulse code or SQL, following the
rules of docs/concepts.md and docs/metric-types.md as written:

  * a unit is an org exposed to experiment 'exp' in [start, end + 1 day) in exactly one group; its first
    exposure fe is its earliest such exposure;
  * its counted rows are those with fe <= ts < end + 1 day (the CUPED pre-period: fe - 7 days <= ts < fe);
  * threshold: X = 1 when the aggregate (sum ignoring NULLs, 0 without rows; count of rows; count of
    distinct non-NULL values) satisfies the comparison, else 0; a window keeps the rows in
    [fe + start_days, fe + end_days) and leaves out units with fe + end_days > end + 1 day;
  * retention: X = 1 when a row passing the filter lies in [fe + start_days, fe + end_days), for units
    whose window closed; the others are counted as excluded;
  * daily results of big_spenders: on day d every unit first exposed by then, X = the threshold of its
    running sum over its counted rows before day d + 1 00:00.

Group moments use numpy mean / var(ddof=1) / cov(ddof=1); the comparison of a Y == 1 metric is Welch's
test from scipy.stats.ttest_ind(equal_var=False) (difference, its standard error, p-value).
"""
import csv
import json
import math
import os
import platform
import sys
from datetime import date, datetime, timedelta

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "resources", "threshold_retention")
START = datetime(2026, 3, 1)
END_EXCLUSIVE = datetime(2026, 3, 11)  # end 2026-03-10 + 1 day
LOOKBACK = timedelta(days=7)
DAY = timedelta(days=1)


def read(name):
    with open(os.path.join(DATA, name + ".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["org"] = int(row["org"])
        row["ts"] = datetime.fromisoformat(row["ts"])
        for key, value in row.items():
            if value == "":
                row[key] = None
    return rows


def units():
    groups, first = {}, {}
    for row in read("exposures"):
        if row["exp_name"] != "exp" or not (START <= row["ts"] < END_EXCLUSIVE):
            continue
        groups.setdefault(row["org"], set()).add(row["variant"])
        first[row["org"]] = min(first.get(row["org"], row["ts"]), row["ts"])
    return {org: (next(iter(g)), first[org]) for org, g in groups.items() if len(g) == 1}


def aggregate(kind, rows, value):
    if kind == "sum":
        return sum(float(r[value]) for r in rows if r[value] is not None)
    if kind == "count":
        return len(rows)
    return len({r[value] for r in rows if r[value] is not None})


THRESHOLDS = {
    # name: (aggregate, value, threshold, comparison, window or None)
    "big_spenders": ("sum", "amount", 100.0, ">=", None),
    "big_spenders_strict": ("sum", "amount", 100.0, ">", None),
    "frequent_buyers": ("count", None, 3.0, ">=", None),
    "multi_product": ("count_distinct", "product", 2.0, ">=", None),
    "no_net_refund": ("sum", "amount", 0.0, ">=", None),
    "big_spenders_d2": ("sum", "amount", 100.0, ">=", (0, 2)),
}
RETENTION = {"d3_retention": ("session", 3, 5)}


def reached(total, threshold, comparison):
    return 1.0 if (total >= threshold if comparison == ">=" else total > threshold) else 0.0


def per_unit(the_units, purchases, events):
    """metric -> org -> (X, X0) for the units with a value; metric -> excluded count."""
    values, excluded = {}, {}
    for name, (kind, value, threshold, comparison, window) in THRESHOLDS.items():
        values[name], excluded[name] = {}, 0
        for org, (_, fe) in the_units.items():
            own = [r for r in purchases if r["org"] == org]
            lo, hi = fe, END_EXCLUSIVE
            if window is not None:
                if fe + window[1] * DAY > END_EXCLUSIVE:
                    excluded[name] += 1
                    continue
                lo, hi = fe + window[0] * DAY, min(hi, fe + window[1] * DAY)
            post = [r for r in own if lo <= r["ts"] < hi]
            pre = [r for r in own if fe - LOOKBACK <= r["ts"] < fe]
            values[name][org] = (reached(aggregate(kind, post, value), threshold, comparison),
                                 reached(aggregate(kind, pre, value), threshold, comparison))
    for name, (event, start_days, end_days) in RETENTION.items():
        values[name], excluded[name] = {}, 0
        for org, (_, fe) in the_units.items():
            if fe + end_days * DAY > END_EXCLUSIVE:
                excluded[name] += 1
                continue
            own = [r for r in events if r["org"] == org and r["event"] == event and r["ts"] < END_EXCLUSIVE]
            post = any(fe + start_days * DAY <= r["ts"] < fe + end_days * DAY for r in own)
            pre = any(fe - LOOKBACK <= r["ts"] < fe for r in own)
            values[name][org] = (float(post), float(pre))
    return values, excluded


def moments(x, x0=None):
    x = np.asarray(x, dtype=float)
    out = {"n": int(len(x)), "mean_x": float(np.mean(x)) if len(x) else None,
           "var_x": float(np.var(x, ddof=1)) if len(x) > 1 else None}
    if x0 is not None:
        x0 = np.asarray(x0, dtype=float)
        out["mean_pre_x"] = float(np.mean(x0))
        out["var_pre_x"] = float(np.var(x0, ddof=1))
        out["cov_x_pre_x"] = float(np.cov(x, x0, ddof=1)[0, 1])
    return out


def welch(control, treat):
    control, treat = np.asarray(control), np.asarray(treat)
    result = stats.ttest_ind(treat, control, equal_var=False)
    se = math.sqrt(np.var(control, ddof=1) / len(control) + np.var(treat, ddof=1) / len(treat))
    return {"absolute": float(np.mean(treat) - np.mean(control)), "standard_error": se,
            "p_value": float(result.pvalue)}


def main(out):
    the_units = units()
    purchases, events = read("purchases"), read("events")
    values, excluded = per_unit(the_units, purchases, events)
    expected = {"generator": {"command": " ".join(["python3"] + sys.argv), "python": platform.python_version(),
                              "numpy": np.__version__, "scipy": scipy.__version__},
                "metrics": {}}
    for name, by_org in values.items():
        groups = {}
        for group in ("control", "treat"):
            orgs = sorted(org for org in by_org if the_units[org][0] == group)
            groups[group] = moments([by_org[o][0] for o in orgs], [by_org[o][1] for o in orgs])
            groups[group]["orgs"] = orgs
        control = [by_org[o][0] for o in groups["control"]["orgs"]]
        treat = [by_org[o][0] for o in groups["treat"]["orgs"]]
        expected["metrics"][name] = {"groups": groups, "excluded_units_window_open": excluded[name],
                                     "comparison": welch(control, treat)}
    # daily results of big_spenders: the running sum's threshold on each day
    days = []
    for d in range((END_EXCLUSIVE - START).days):
        day_end = START + (d + 1) * DAY
        groups = {}
        for group in ("control", "treat"):
            xs = []
            for org, (g, fe) in sorted(the_units.items()):
                if g != group or fe >= day_end:
                    continue
                total = sum(float(r["amount"]) for r in purchases
                            if r["org"] == org and fe <= r["ts"] < day_end and r["amount"] is not None)
                xs.append(reached(total, 100.0, ">="))
            groups[group] = moments(xs)
        days.append({"date": (START + d * DAY).date().isoformat(), "groups": groups})
    expected["daily_big_spenders"] = days
    with open(out, "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATA, "expected.json"))
