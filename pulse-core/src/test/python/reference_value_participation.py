#!/usr/bin/env python3
"""Reference moments for first_value, latest_value and participation metrics, from the raw rows.

Reads the trap data set of ValueParticipationMomentsTest (src/test/resources/value_participation/
exposures.csv and events.csv) and applies the rules of docs/concepts.md and docs/metric-types.md
directly, row by row, with no SQL: counted units, per-unit X and Y, then per group the moments Pulse's
statement returns (n, means, sample variances and covariance of X and Y) and, under CUPED with a 2-day
lookback, those of the pre-period X0, Y0 with the cross covariances. Also the delta-method difference of
the group values (estimate and standard error) of each metric. Writes reference.json beside the CSVs;
ValueParticipationReferenceTest compares Pulse's numbers with it.

Run from pulse-core:  python3 src/test/python/reference_value_participation.py
"""
import csv
import datetime as dt
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "resources", "value_participation")
START = dt.datetime(2026, 3, 1)
END_DAY = dt.date(2026, 3, 5)                      # inclusive last day
END = dt.datetime(2026, 3, 6)                      # exclusive bound: end + 1 day 00:00
LOOKBACK = 2
GROUPS = ["control", "treat"]
WINDOW = (0, 2)                                    # latest_price_d0_2: [fe + 0 d, fe + 2 d)


def parse_ts(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def read(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f))


def units():
    """unit -> (group, first exposure): exposures in [start, end), one group, listed groups only."""
    seen = {}
    for row in read("exposures.csv"):
        if row["exp_name"] != "exp" or not row["org"] or not row["variant"]:
            continue
        ts = parse_ts(row["ts"])
        if not (START <= ts < END):
            continue
        org = int(row["org"])
        groups, first = seen.get(org, (set(), ts))
        groups.add(row["variant"])
        seen[org] = (groups, min(first, ts))
    return {org: (next(iter(g)), fe) for org, (g, fe) in seen.items() if len(g) == 1 and next(iter(g)) in GROUPS}


def events():
    rows = []
    for row in read("events.csv"):
        if not row["org"]:
            continue                                # a NULL ID matches no unit
        price = float(row["price"]) if row["price"] else None
        rows.append((int(row["org"]), parse_ts(row["ts"]), price))
    return rows


def pick(rows, latest):
    """The value of the row with the least (first) or greatest (latest) timestamp among rows with a
    value; ties at that timestamp go to the greatest value. None without a value."""
    valued = [(ts, v) for ts, v in rows if v is not None]
    if not valued:
        return None
    target = max(ts for ts, _ in valued) if latest else min(ts for ts, _ in valued)
    return max(v for ts, v in valued if ts == target)


def value_xy(rows, latest):
    v = pick(rows, latest)
    return (0.0, 0.0) if v is None else (v, 1.0)


def per_unit(unit_table, rows):
    """metric -> unit -> (X, Y, X0, Y0), None for a unit whose window is open at the end."""
    out = {m: {} for m in ["latest_price", "first_price", "latest_price_d0_2", "active_days"]}
    for org, (_, fe) in unit_table.items():
        mine = [(ts, v) for o, ts, v in rows if o == org]
        post = [(ts, v) for ts, v in mine if fe <= ts < END]
        pre = [(ts, v) for ts, v in mine if fe - dt.timedelta(days=LOOKBACK) <= ts < fe]
        for name, latest in [("latest_price", True), ("first_price", False)]:
            out[name][org] = value_xy(post, latest) + value_xy(pre, latest)
        w0, w1 = fe + dt.timedelta(days=WINDOW[0]), fe + dt.timedelta(days=WINDOW[1])
        if w1 <= END:
            inside = [(ts, v) for ts, v in post if w0 <= ts < w1]
            out["latest_price_d0_2"][org] = value_xy(inside, True) + value_xy(pre, True)
        else:
            out["latest_price_d0_2"][org] = None
        days = len({ts.date() for ts, _ in post})
        exposed = (END_DAY - fe.date()).days + 1
        pre_days = len({ts.date() for ts, _ in pre})
        out["active_days"][org] = (float(days), float(exposed), float(pre_days), float(LOOKBACK))
    return out


def moments(values):
    a = np.array(values, dtype=float)              # columns X, Y, X0, Y0
    n = len(a)
    mean = a.mean(axis=0)
    cov = np.cov(a, rowvar=False, ddof=1) if n > 1 else np.full((4, 4), np.nan)
    return {
        "n": n,
        "mean_x": mean[0], "mean_y": mean[1], "var_x": cov[0, 0], "var_y": cov[1, 1], "cov_xy": cov[0, 1],
        "mean_x0": mean[2], "mean_y0": mean[3], "var_x0": cov[2, 2], "var_y0": cov[3, 3], "cov_x0y0": cov[2, 3],
        "cov_xx0": cov[0, 2], "cov_xy0": cov[0, 3], "cov_yx0": cov[1, 2], "cov_yy0": cov[1, 3],
        "sum_y": a[:, 1].sum(),
    }


def ratio_and_variance(m):
    """Delta method for R = mean X / mean Y: Var R = (var_x - 2 R cov_xy + R^2 var_y) / (n mean_y^2)."""
    r = m["mean_x"] / m["mean_y"]
    var = (m["var_x"] - 2 * r * m["cov_xy"] + r * r * m["var_y"]) / (m["n"] * m["mean_y"] ** 2)
    return r, var


def main():
    unit_table = units()
    rows = events()
    result = {"units": {g: sum(1 for grp, _ in unit_table.values() if grp == g) for g in GROUPS}, "metrics": {}}
    for metric, by_unit in per_unit(unit_table, rows).items():
        groups = {}
        for g in GROUPS:
            vals = [v for org, v in by_unit.items() if unit_table[org][0] == g and v is not None]
            groups[g] = moments(vals)
        rc, vc = ratio_and_variance(groups["control"])
        rt, vt = ratio_and_variance(groups["treat"])
        result["metrics"][metric] = {
            "groups": groups,
            "excluded_window_open": sum(1 for v in by_unit.values() if v is None),
            "control_value": rc, "treatment_value": rt,
            "absolute_estimate": rt - rc, "absolute_std_error": math.sqrt(vc + vt),
        }
    with open(os.path.join(DATA, "reference.json"), "w") as f:
        json.dump(result, f, indent=2, sort_keys=True, default=float)
        f.write("\n")


if __name__ == "__main__":
    main()
