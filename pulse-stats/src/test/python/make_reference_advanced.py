#!/usr/bin/env python3
"""Independent reference numbers for the advanced statistics of pulse-stats
(docs/one-sided-fieller-corrections-percentiles.md): one-sided tests, Fieller relative intervals, multiple-comparison
corrections, percentile (quantile) intervals and power / MDE.

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_advanced.py \
        pulse-stats/src/test/resources/reference/advanced_reference.json

Made with Python 3.11, numpy 2.4.6, scipy 1.17.1 (the versions actually used are also written into
the JSON under "generator"). Nothing here uses Pulse code; every figure comes from raw per-unit data
or from the definitions:
  * group values and delta-method variances through the per-unit linearization (group_expected of
    make_reference.py, which cross-checks the moment form);
  * one-sided p-values from scipy.stats.t.sf / t.cdf; quantiles from scipy.stats.t.ppf;
  * Fieller limits as the roots of the quadratic (R_c^2 - q^2 V_c) rho^2 - 2 R_t R_c rho
    + (R_t^2 - q^2 V_t) = 0 found by numpy.roots (not the closed form used in Java), each checked to
    make the pivot (R_t - rho R_c) / sqrt(V_t + rho^2 V_c) equal to +-q;
  * adjusted p-values by the brute-force definitions (Holm: max over j <= i of (m - j + 1) p_(j);
    BH: min over j >= i of m p_(j) / j), written without the running max/min of the Java code;
  * quantiles with numpy.quantile(method="inverted_cdf") (= SQL PERCENTILE_DISC) on raw rows, per-unit
    indicator counts from the rows, normal quantiles from scipy.stats.norm;
  * power figures from scipy.stats.norm, cross-checked by evaluating the power at the MDE.
"""
import json
import math
import os
import platform
import sys

import numpy as np
import scipy
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_reference import clustered_orgs, group_expected, sessions  # noqa: E402

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_advanced.py "
           "pulse-stats/src/test/resources/reference/advanced_reference.json")
SEED = 20261126


def sums(x, y):
    return {"n": len(x), "sum_x": float(np.sum(x)), "sum_x2": float(np.sum(x * x)), "sum_y": float(np.sum(y)),
            "sum_y2": float(np.sum(y * y)), "sum_xy": float(np.sum(x * y))}


def fieller_roots(rt, rc, vt, vc, q):
    """Roots of the Fieller quadratic, or None when the set is unbounded (leading coefficient <= 0)."""
    a = rc * rc - q * q * vc
    if a <= 0:
        return None
    roots = np.sort(np.real(np.roots([a, -2 * rt * rc, rt * rt - q * q * vt])))
    for rho in roots:
        pivot = (rt - rho * rc) / math.sqrt(vt + rho * rho * vc)
        assert math.isclose(abs(pivot), q, rel_tol=1e-7), (pivot, q)
    return float(roots[0]), float(roots[1])


def comparison_cases(name, xc, yc, xt, yt, alpha):
    c, t = group_expected(xc, yc), group_expected(xt, yt)
    rc, rt, vc, vt = c["value"], t["value"], c["variance"], t["variance"]
    delta, se = rt - rc, math.sqrt(vt + vc)
    nu = (vt + vc) ** 2 / (vt ** 2 / (t["n"] - 1) + vc ** 2 / (c["n"] - 1))
    lift = rt / rc - 1
    se_lift = math.sqrt(vt / rc ** 2 + rt ** 2 * vc / rc ** 4)
    cases = []
    for direction in ("TWO_SIDED", "INCREASE", "DECREASE"):
        if direction == "TWO_SIDED":
            q = float(stats.t.ppf(1 - alpha / 2, nu))
            p = float(2 * stats.t.sf(abs(delta / se), nu))
        elif direction == "INCREASE":
            q = float(stats.t.ppf(1 - alpha, nu))
            p = float(stats.t.sf(delta / se, nu))
        else:
            q = float(stats.t.ppf(1 - alpha, nu))
            p = float(stats.t.cdf(delta / se, nu))
        for method in ("DELTA", "FIELLER"):
            absolute = [delta - q * se, delta + q * se]
            if method == "DELTA":
                relative = [lift - q * se_lift, lift + q * se_lift]
            else:
                roots = fieller_roots(rt, rc, vt, vc, q)
                relative = None if roots is None else [roots[0] - 1, roots[1] - 1]
            if direction == "INCREASE":
                absolute[1] = None
                if relative is not None:
                    relative[1] = None
            if direction == "DECREASE":
                absolute[0] = None
                if relative is not None:
                    relative[0] = None
            cases.append({"direction": direction, "relative_interval": method, "quantile": q,
                          "absolute": {"estimate": delta, "std_error": se, "ci_lower": absolute[0],
                                       "ci_upper": absolute[1]},
                          "relative": {"estimate": lift, "std_error": se_lift,
                                       "unbounded": relative is None,
                                       "ci_lower": None if relative is None else relative[0],
                                       "ci_upper": None if relative is None else relative[1]},
                          "degrees_of_freedom": nu, "p_value": p, "significant": bool(p < alpha)})
    g = float(stats.t.ppf(1 - alpha / 2, nu)) ** 2 * vc / rc ** 2
    return {"name": name, "alpha": alpha, "g_two_sided": g, "control": sums(xc, yc), "treatment": sums(xt, yt),
            "cases": cases}


def holm_brute(p):
    m = len(p)
    order = sorted(range(m), key=lambda k: p[k])
    out = [0.0] * m
    for i in range(m):
        out[order[i]] = min(1.0, max((m - j) * p[order[j]] for j in range(i + 1)))
    return out


def bh_brute(p):
    m = len(p)
    order = sorted(range(m), key=lambda k: p[k])
    out = [0.0] * m
    for i in range(m):
        out[order[i]] = min(1.0, min(m * p[order[j]] / (j + 1) for j in range(i, m)))
    return out


def family(name, p, alpha):
    m = len(p)
    adjusted = {"NONE": list(p), "BONFERRONI": [min(1.0, m * v) for v in p], "HOLM": holm_brute(p),
                "BENJAMINI_HOCHBERG": bh_brute(p)}
    # BH's R straight from the paper: the largest i with p_(i) <= alpha i / m.
    ranked = sorted(p)
    r_bh = max([i + 1 for i in range(m) if ranked[i] <= alpha * (i + 1) / m], default=0)
    assert r_bh == sum(v <= alpha for v in adjusted["BENJAMINI_HOCHBERG"])
    levels = {"NONE": alpha, "BONFERRONI": alpha / m, "HOLM": alpha / m,
              "BENJAMINI_HOCHBERG": alpha * max(r_bh, 1) / m}
    if m == 1:
        levels = {k: alpha for k in levels}
    return {"name": name, "alpha": alpha, "p_values": list(p), "adjusted": adjusted,
            "rejected": {k: [bool(v <= alpha) for v in vals] for k, vals in adjusted.items()},
            "interval_alpha": levels}


def quantile_disc(values, level):
    return float(np.quantile(values, level, method="inverted_cdf"))


def percentile_group(rows_per_unit, p, alpha):
    values = np.concatenate(rows_per_unit)
    q_hat = quantile_disc(values, p)
    x = np.array([float(np.sum(r <= q_hat)) for r in rows_per_unit])
    y = np.array([float(len(r)) for r in rows_per_unit])
    g = group_expected(x, y)
    sigma = math.sqrt(g["variance"])
    z = float(stats.norm.ppf(1 - alpha / 2))
    lower_level, upper_level = max(0.0, p - z * sigma), min(1.0, p + z * sigma)
    lower_q, upper_q = quantile_disc(values, lower_level), quantile_disc(values, upper_level)
    return {"quantile": q_hat, "indicator": sums(x, y), "observed_probability": g["value"], "sigma": sigma,
            "lower_level": lower_level, "upper_level": upper_level, "lower_quantile": lower_q,
            "upper_quantile": upper_q, "std_error": (upper_q - lower_q) / (2 * z)}


def percentile_case(name, control_rows, treatment_rows, p, alpha):
    c, t = percentile_group(control_rows, p, alpha), percentile_group(treatment_rows, p, alpha)
    z = float(stats.norm.ppf(1 - alpha / 2))
    delta = t["quantile"] - c["quantile"]
    se = math.sqrt(t["std_error"] ** 2 + c["std_error"] ** 2)
    ratio = t["quantile"] / c["quantile"]
    se_rel = math.sqrt(t["std_error"] ** 2 / c["quantile"] ** 2 + t["quantile"] ** 2 * c["std_error"] ** 2
                       / c["quantile"] ** 4)
    pval = float(2 * stats.norm.sf(abs(delta / se)))
    return {"name": name, "probability": p, "alpha": alpha, "control": c, "treatment": t,
            "absolute": {"estimate": delta, "std_error": se, "ci_lower": delta - z * se, "ci_upper": delta + z * se},
            "relative": {"estimate": ratio - 1, "std_error": se_rel, "ci_lower": ratio - 1 - z * se_rel,
                         "ci_upper": ratio - 1 + z * se_rel},
            "p_value": pval}


def clustered_rows(rng, units, scale=1.0, ties=False):
    rows = []
    for _ in range(units):
        size = 1 + rng.poisson(4.0)
        level = rng.normal(0.0, 0.5)
        if ties:
            rows.append(rng.poisson(2.0 * math.exp(level) * scale, size).astype(float))
        else:
            rows.append(np.round(100.0 * scale * np.exp(level + 0.7 * rng.standard_normal(size)), 1))
    return rows


def power_case(variance, control_mean, n_c, n_t, alpha, power, direction, relative_target, share, per_day):
    z_a = float(stats.norm.ppf(1 - alpha / 2)) if direction == "TWO_SIDED" else float(stats.norm.ppf(1 - alpha))
    k = z_a + float(stats.norm.ppf(power))
    se = math.sqrt(variance * (1 / n_c + 1 / n_t))
    mde = k * se
    # Check: the power of the planned one-sided-rejection test at effect = MDE is the target.
    assert math.isclose(float(stats.norm.cdf(mde / se - z_a)), power, rel_tol=1e-9)
    total = k ** 2 * variance / (share * (1 - share) * (relative_target * control_mean) ** 2)
    n_control, n_treatment = math.ceil((1 - share) * total), math.ceil(share * total)
    return {"unit_variance": variance, "control_mean": control_mean, "control_units": n_c, "treatment_units": n_t,
            "alpha": alpha, "power": power, "direction": direction, "multiplier": k, "standard_error": se,
            "mde_absolute": mde, "mde_relative": mde / abs(control_mean),
            "relative_target": relative_target, "treatment_share": share, "total_exact": total,
            "needed_control": n_control, "needed_treatment": n_treatment,
            "needed_total": n_control + n_treatment, "units_per_day": per_day,
            "days": math.ceil((n_control + n_treatment) / per_day)}


def main(path):
    rng = np.random.default_rng(SEED)
    comparisons = []
    xc, yc = clustered_orgs(rng, 15)
    xt, yt = clustered_orgs(rng, 14, effect=1.3)
    comparisons.append(comparison_cases("few_orgs_noisy_control", xc, yc, xt, yt, 0.05))
    xc, yc = sessions(rng, 400, 0.20)
    xt, yt = sessions(rng, 420, 0.215)
    comparisons.append(comparison_cases("clicks_per_session", xc, yc, xt, yt, 0.1))
    xc, yc = clustered_orgs(rng, 200)
    xt, yt = clustered_orgs(rng, 210, effect=0.93)
    comparisons.append(comparison_cases("orgs_decrease", xc, yc, xt, yt, 0.05))
    # Unbounded Fieller: 3 control orgs whose revenue spans two orders of magnitude.
    xc, yc = np.array([5.0, 400.0, 3000.0]), np.array([2.0, 3.0, 4.0])
    xt, yt = clustered_orgs(rng, 8)
    unbounded = comparison_cases("fieller_unbounded", xc, yc, xt, yt, 0.05)
    assert unbounded["g_two_sided"] >= 1, unbounded["g_two_sided"]
    comparisons.append(unbounded)
    for case in comparisons[:3]:
        assert case["g_two_sided"] < 1

    families = [
        family("five_even", [0.01, 0.02, 0.03, 0.04, 0.05], 0.05),
        family("ties_and_order", [0.04, 0.01, 0.5, 0.01, 0.03, 0.9], 0.05),
        family("single", [0.03], 0.05),
        family("none_rejected", [0.2, 0.3, 0.04], 0.05),
        family("random_twelve", [float(v) for v in np.round(rng.beta(0.4, 2.0, 12), 6)], 0.1),
        family("with_one", [1.0, 0.001, 0.7], 0.05),
    ]

    percentiles = [
        percentile_case("p50_clustered", clustered_rows(rng, 60), clustered_rows(rng, 70, scale=1.1), 0.5, 0.05),
        percentile_case("p90_clustered", clustered_rows(rng, 80), clustered_rows(rng, 75), 0.9, 0.05),
        percentile_case("p50_ties", clustered_rows(rng, 50, ties=True), clustered_rows(rng, 55, ties=True), 0.5,
                        0.05),
        percentile_case("p95_small", clustered_rows(rng, 6), clustered_rows(rng, 7, scale=1.2), 0.95, 0.1),
    ]

    power = [
        power_case(4.0, 10.0, 1000, 1000, 0.05, 0.8, "TWO_SIDED", 0.02, 0.5, 500.0),
        power_case(2500.0, 35.0, 20000, 10000, 0.05, 0.9, "TWO_SIDED", 0.01, 1 / 3, 7000.0),
        power_case(0.16, 0.2, 5000, 5000, 0.1, 0.8, "INCREASE", 0.05, 0.5, 1234.5),
        power_case(1.0, -3.0, 50, 70, 0.01, 0.95, "DECREASE", 0.2, 0.3, 10.0),
    ]

    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(), "numpy": np.__version__,
                      "scipy": scipy.__version__, "seed": SEED},
        "comparisons": comparisons, "families": families, "percentiles": percentiles, "power": power,
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
