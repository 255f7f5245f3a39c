#!/usr/bin/env python3
"""Independent reference numbers for the pre-experiment bias check (PreExperimentBias,
docs/cuped-sequential-bayesian.md §4).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_bias.py \
        pulse-stats/src/test/resources/reference/bias_reference.json

Nothing here uses Pulse code or its moment formulas. From the raw per-unit pre-period rows (X0, Y0) of
each arm: the pre-period value R0 = sum X0 / sum Y0; each unit linearized explicitly,
z0_i = (x0_i - R0 y0_i) / y0bar (Deng, Knoblich & Lu, KDD 2018, §3), V0 = var(z0, ddof=1) / n;
the difference of the treatment's and the control's R0, SE = sqrt(V0_t + V0_c), Welch-Satterthwaite
nu, two-sided p = 2 P(T_nu > |diff/SE|) (scipy.stats.t); Bonferroni over the m tests, min(1, m p),
flagged when below the threshold; the interval diff +- t(1 - threshold/(2m), nu) SE. The moments the
warehouse would return (the Java input) come from numpy mean / var / cov (ddof=1).
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import stats

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_bias.py "
           "pulse-stats/src/test/resources/reference/bias_reference.json")
SEED = 20261206
THRESHOLD = 0.001


def orgs(rng, count, pre_scale=1.0, new_share=0.1):
    """Orgs of 1..150 users; pre-period revenue X0 of the users active before, Y0 those users; new orgs 0/0."""
    sizes = 1 + np.floor(149 * rng.random(count) ** 2).astype(int)
    x0, y0, orders = [], [], []
    for size in sizes:
        level = 20.0 * math.exp(0.5 * rng.standard_normal())
        if rng.random() < new_share:
            x0.append(0.0)
            y0.append(0.0)
        else:
            active = int(rng.binomial(size, 0.9))
            x0.append(float((level * pre_scale * rng.exponential(1.0, active)).sum()))
            y0.append(float(active))
        orders.append(float(rng.poisson(2.0 * pre_scale * (1 + size / 30.0))))
    return np.array(x0), np.array(y0), np.array(orders)


def moments(x, y):
    cov = np.cov(np.vstack([x, y]), ddof=1)
    return {"n": int(len(x)), "mean_x": float(np.mean(x)), "mean_y": float(np.mean(y)),
            "var_x": float(cov[0, 0]), "var_y": float(cov[1, 1]), "cov_xy": float(cov[0, 1])}


def linearized(x, y):
    """(R0, V0) of one arm from its raw rows, by explicit per-unit linearization."""
    r = x.sum() / y.sum()
    z = (x - r * y) / y.mean()
    return r, float(np.var(z, ddof=1) / len(x)), len(x)


def main(path):
    rng = np.random.default_rng(SEED)
    arms = {"control": 500, "treatment_a": 450, "treatment_b": 520}
    raw = {}
    for arm, count in arms.items():
        # treatment_b's orgs were already spending 25% more before exposure: a broken assignment
        raw[arm] = orgs(rng, count, pre_scale=1.25 if arm == "treatment_b" else 1.0)
    metrics = {
        "revenue_per_user": lambda arm: (raw[arm][0], raw[arm][1]),                  # ratio, clustered
        "orders": lambda arm: (raw[arm][2], np.ones(len(raw[arm][2]))),              # Y == 1
    }
    inputs, tests = [], []
    for metric, rows in metrics.items():
        for arm in arms:
            if arm == "control":
                continue
            xc, yc = rows("control")
            xt, yt = rows(arm)
            rc, vc, nc = linearized(xc, yc)
            rt, vt, nt = linearized(xt, yt)
            diff = rt - rc
            se = math.sqrt(vt + vc)
            nu = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
            p = float(2 * stats.t.sf(abs(diff / se), nu))
            inputs.append({"metric": metric, "treatment": arm,
                           "control": moments(xc, yc), "treated": moments(xt, yt)})
            tests.append({"control_mean": rc, "treatment_mean": rt, "difference": diff, "std_error": se,
                          "degrees_of_freedom": nu, "p_value": p})
    m = len(tests)
    for test in tests:
        test["adjusted_p_value"] = min(1.0, m * test["p_value"])
        test["flagged"] = test["adjusted_p_value"] < THRESHOLD
        q = stats.t.ppf(1 - THRESHOLD / (2 * m), test["degrees_of_freedom"])
        test["ci_lower"] = test["difference"] - q * test["std_error"]
        test["ci_upper"] = test["difference"] + q * test["std_error"]
    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(), "numpy": np.__version__,
                      "scipy": scipy.__version__, "seed": SEED},
        "description": "orgs of 1..150 users, 10% new (no pre-period rows); treatment_b's pre-period values"
                       " scaled by 1.25 (an imbalanced assignment); revenue_per_user = pre revenue / pre active"
                       " users (ratio), orders per org (Y == 1)",
        "threshold": THRESHOLD,
        "family_size": m,
        "inputs": inputs,
        "expected": tests,
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
