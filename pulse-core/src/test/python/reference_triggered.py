"""Independent reference for triggered analysis (docs/triggered-analysis.md), from the raw rows.

Reads pulse-core/src/test/resources/triggered/*.csv (the rows of TriggeredMomentsTest) with the csv module
and numpy only, applies the rules of docs/concepts.md and docs/triggered-analysis.md row by row, and writes
expected.json beside them: per metric and group the unit count and the moments of the per-unit (X, Y)
(means, sample variances, sample covariance), and the units left out because they never qualified.

Experiment 'exp', 2026-03-01 to 2026-03-05 (rows before 2026-03-06 00:00), groups control and treat, trigger:
a page_views row with page = 'checkout' at or after the unit's first exposure and before the end.
Metrics: revenue (sum from the trigger), revenue_d0_1 (sum in [trigger, trigger + 1 day), units whose window
closes after the end left out), active_days (participation: distinct UTC days with a row from the trigger over
the days from the trigger's day through the last day).

Run:  python3 pulse-core/src/test/python/reference_triggered.py
"""
import csv
import datetime as dt
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "resources", "triggered")
START = dt.datetime(2026, 3, 1)
END = dt.datetime(2026, 3, 6)  # end + 1 day, exclusive
DAY = dt.timedelta(days=1)


def rows(name):
    with open(os.path.join(DATA, name + ".csv"), newline="") as f:
        return list(csv.DictReader(f))


def ts(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def main():
    exposures = {}
    for r in rows("exposures"):
        t = ts(r["ts"])
        if r["exp_name"] != "exp" or not (START <= t < END):
            continue
        e = exposures.setdefault(int(r["org"]), {"groups": set(), "first": t})
        e["groups"].add(r["variant"])
        e["first"] = min(e["first"], t)
    single = {u: (next(iter(e["groups"])), e["first"]) for u, e in exposures.items() if len(e["groups"]) == 1}

    starts, not_triggered = {}, 0
    for unit, (group, first) in single.items():
        times = [ts(r["ts"]) for r in rows("page_views")
                 if int(r["org"]) == unit and r["page"] == "checkout" and first <= ts(r["ts"]) < END]
        if times:
            starts[unit] = (group, min(times))
        else:
            not_triggered += 1

    events = [(int(r["org"]), ts(r["ts"]), float(r["revenue"]) if r["revenue"] else None) for r in rows("events")]
    values = {"revenue": {}, "revenue_d0_1": {}, "active_days": {}}
    for unit, (group, start) in starts.items():
        mine = [(t, v) for (u, t, v) in events if u == unit and start <= t < END]
        values["revenue"][unit] = (group, sum(v for _, v in mine if v is not None), 1.0)
        if start + DAY <= END:  # the window [start, start + 1 day) has closed by the end
            values["revenue_d0_1"][unit] = (group, sum(v for t, v in mine if v is not None and t < start + DAY), 1.0)
        days = {(t.date() - START.date()).days for t, _ in mine}
        exposed_days = (END.date() - start.date()).days
        values["active_days"][unit] = (group, float(len(days)), float(exposed_days))

    out = {"excluded_not_triggered": not_triggered, "metrics": {}}
    for metric, per_unit in values.items():
        out["metrics"][metric] = {}
        for group in ("control", "treat"):
            xy = np.array([(x, y) for (g, x, y) in per_unit.values() if g == group])
            x, y = xy[:, 0], xy[:, 1]
            out["metrics"][metric][group] = {
                "n": int(len(x)),
                "mean_x": float(x.mean()), "mean_y": float(y.mean()),
                "var_x": float(x.var(ddof=1)), "var_y": float(y.var(ddof=1)),
                "cov_xy": float(np.cov(x, y, ddof=1)[0, 1]),
            }
    with open(os.path.join(DATA, "expected.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
