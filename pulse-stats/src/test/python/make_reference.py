#!/usr/bin/env python3
"""Independent reference numbers for pulse-stats (docs/statistics.md).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference.py \
        pulse-stats/src/test/resources/reference/delta_method_reference.json

Made with Python 3.11, numpy 2.4.6, scipy 1.17.1 (the versions actually used are also written
into the JSON under "generator").

Everything here is computed from the raw per-unit rows, without any Pulse code:
  * group moments with numpy mean / var(ddof=1) / cov(ddof=1);
  * the delta-method variance through the per-unit linearization z_i = (x_i - R y_i) / ybar,
    V = var(z) / n (Deng, Knoblich & Lu, KDD 2018, §3), cross-checked in this script against
    the moment form (s_xx - 2 R s_xy + R^2 s_yy) / (n ybar^2);
  * for Y == 1 metrics, Welch's test straight from scipy.stats.ttest_ind(equal_var=False)
    (statistic, df, p-value and confidence_interval), cross-checked against the formulas;
  * t quantiles / tails from scipy.stats.t, SRM from scipy.stats.chisquare.

The JSON holds, per data set and group, the raw per-unit values, the raw sums
(n, sum_x, sum_x2, sum_y, sum_y2, sum_xy: the `pulse stats` input of docs/cli.md#pulse-stats-input) and the expected
results. For Y == 1 metrics the *_y* sums and per-unit y are omitted, as in docs/cli.md.
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import stats

COMMAND = ("python3 pulse-stats/src/test/python/make_reference.py "
           "pulse-stats/src/test/resources/reference/delta_method_reference.json")


def clustered_orgs(rng, orgs, effect=1.0):
    """Org-randomized data: X = sum of per-user revenue in the org, Y = users in the org."""
    sizes = 1 + np.floor(149 * rng.random(orgs) ** 2).astype(int)
    xs = []
    for size in sizes:
        org_level = 20.0 * math.exp(0.5 * rng.standard_normal())
        revenue = org_level * rng.exponential(1.0, size) * effect
        xs.append(float(revenue.sum()))
    return np.array(xs), sizes.astype(float)


def sessions(rng, users, click_rate):
    """User-randomized, analysed per session: X = clicks, Y = sessions (>= 1)."""
    y = 1 + rng.poisson(3.0, users)
    x = rng.binomial(y, click_rate)
    return x.astype(float), y.astype(float)


def group_expected(x, y):
    n = len(x)
    mean_x, mean_y = float(np.mean(x)), float(np.mean(y))
    var_x, var_y = float(np.var(x, ddof=1)), float(np.var(y, ddof=1))
    cov_xy = float(np.cov(x, y, ddof=1)[0, 1])
    value = float(np.sum(x) / np.sum(y))
    z = (x - value * y) / mean_y
    variance = float(np.var(z, ddof=1) / n)
    moment_form = (var_x - 2 * value * cov_xy + value ** 2 * var_y) / (n * mean_y ** 2)
    assert math.isclose(variance, moment_form, rel_tol=1e-9), (variance, moment_form)
    return {"n": n, "mean_x": mean_x, "mean_y": mean_y, "var_x": var_x, "var_y": var_y,
            "cov_xy": cov_xy, "value": value, "variance": variance}


def comparison(control, treatment, alpha, xc, xt, unit_denominator):
    rc, rt = control["value"], treatment["value"]
    vc, vt = control["variance"], treatment["variance"]
    nc, nt = control["n"], treatment["n"]
    delta = rt - rc
    se = math.sqrt(vt + vc)
    nu = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
    q = float(stats.t.ppf(1 - alpha / 2, nu))
    p = float(2 * stats.t.sf(abs(delta / se), nu))
    lower, upper = delta - q * se, delta + q * se
    if unit_denominator:
        welch = stats.ttest_ind(xt, xc, equal_var=False)
        ci = welch.confidence_interval(confidence_level=1 - alpha)
        for mine, theirs in ((nu, welch.df), (p, welch.pvalue), (delta / se, welch.statistic),
                             (lower, ci.low), (upper, ci.high)):
            assert math.isclose(mine, float(theirs), rel_tol=1e-9), (mine, theirs)
        nu, p = float(welch.df), float(welch.pvalue)
        lower, upper = float(ci.low), float(ci.high)
    lift = rt / rc - 1
    gradient = np.array([1 / rc, -rt / rc ** 2])
    se_lift = float(math.sqrt(gradient @ np.diag([vt, vc]) @ gradient))
    return {"control_mean": rc, "treatment_mean": rt, "control_units": nc, "treatment_units": nt,
            "absolute": {"estimate": delta, "std_error": se, "ci_lower": lower, "ci_upper": upper},
            "relative": {"estimate": lift, "std_error": se_lift,
                         "ci_lower": lift - q * se_lift, "ci_upper": lift + q * se_lift},
            "degrees_of_freedom": float(nu), "p_value": p, "significant": bool(p < alpha)}


def srm(observed, shares):
    total = sum(observed)
    result = stats.chisquare(observed, f_exp=[total * s for s in shares])
    return {"observed": [int(o) for o in observed], "expected_shares": list(shares),
            "chi_square": float(result.statistic), "degrees_of_freedom": len(observed) - 1,
            "p_value": float(result.pvalue)}


def data_set(name, description, metric_type, groups, shares, alpha=0.05):
    """groups: list of (group name, x array, y array or None); the first is the control."""
    unit_denominator = metric_type == "sum"
    out_groups, expected_groups = [], {}
    for group_name, x, y in groups:
        ones = np.ones_like(x)
        expected_groups[group_name] = group_expected(x, ones if y is None else y)
        entry = {"name": group_name, "n": len(x), "sum_x": float(np.sum(x)), "sum_x2": float(np.sum(x * x))}
        if not unit_denominator:
            entry.update({"sum_y": float(np.sum(y)), "sum_y2": float(np.sum(y * y)), "sum_xy": float(np.sum(x * y))})
        entry["units_x"] = [float(v) for v in x]
        if not unit_denominator:
            entry["units_y"] = [float(v) for v in y]
        out_groups.append(entry)
    control_name, control_x = groups[0][0], groups[0][1]
    comparisons = []
    for group_name, x, _ in groups[1:]:
        c = comparison(expected_groups[control_name], expected_groups[group_name], alpha, control_x, x,
                       unit_denominator)
        c["group"], c["control"] = group_name, control_name
        comparisons.append(c)
    return {"name": name, "description": description, "type": metric_type, "alpha": alpha,
            "control": control_name, "groups": out_groups,
            "expected": {"groups": expected_groups, "comparisons": comparisons,
                         "srm": srm([len(g[1]) for g in groups], shares)}}


def main(path):
    rng = np.random.default_rng(20260301)
    sets = []
    xc, yc = clustered_orgs(rng, 300)
    xt, yt = clustered_orgs(rng, 290, effect=1.05)
    sets.append(data_set("clustered_revenue_per_user",
                         "orgs of 1..150 users, lognormal org level times exponential user revenue; "
                         "ratio X = org revenue, Y = users; treatment revenue x1.05",
                         "ratio", [("control", xc, yc), ("treatment", xt, yt)], [0.5, 0.5]))
    xc, yc = sessions(rng, 500, 0.20)
    xt, yt = sessions(rng, 520, 0.22)
    sets.append(data_set("clicks_per_session", "users with 1 + Poisson(3) sessions, Binomial clicks",
                         "ratio", [("control", xc, yc), ("treatment", xt, yt)], [0.5, 0.5]))
    xc, _ = clustered_orgs(rng, 250)
    xt, _ = clustered_orgs(rng, 260, effect=1.1)
    sets.append(data_set("revenue_per_org", "Y = 1: org revenue per org (sum metric)",
                         "sum", [("control", xc, None), ("treatment", xt, None)], [0.5, 0.5]))
    xc = 10000.0 + 10.0 * rng.standard_normal(400)
    xt = 10001.0 + 10.0 * rng.standard_normal(410)
    sets.append(data_set("large_mean", "Y = 1 with mean 1e4 and sd 10 (sum-of-squares cancellation)",
                         "sum", [("control", xc, None), ("treatment", xt, None)], [0.5, 0.5]))
    xc, yc = clustered_orgs(rng, 400)
    xa, ya = clustered_orgs(rng, 190, effect=1.08)
    xb, yb = clustered_orgs(rng, 215, effect=0.97)
    sets.append(data_set("three_arm", "clustered ratio metric, control vs treat_a and treat_b, shares .5/.25/.25",
                         "ratio", [("control", xc, yc), ("treat_a", xa, ya), ("treat_b", xb, yb)],
                         [0.5, 0.25, 0.25], alpha=0.1))
    xc, yc = clustered_orgs(rng, 5)
    xt, yt = clustered_orgs(rng, 6, effect=1.2)
    sets.append(data_set("small_n", "clustered ratio metric with 5 and 6 orgs",
                         "ratio", [("control", xc, yc), ("treatment", xt, yt)], [0.5, 0.5]))
    srm_cases = [srm([5000, 5200], [0.5, 0.5]),
                 srm([1000, 450, 580], [0.5, 0.25, 0.25]),
                 srm([10000, 9000], [0.5, 0.5]),
                 srm([0, 7, 3], [0.2, 0.4, 0.4])]
    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(),
                      "numpy": np.__version__, "scipy": scipy.__version__, "seed": 20260301},
        "data_sets": sets,
        "srm_cases": srm_cases,
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
