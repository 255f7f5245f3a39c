#!/usr/bin/env python3
"""Independent reference boundaries for the group-sequential test with alpha-spending
(dev.pulse.stats.GroupSequential, docs/cuped-sequential-bayesian.md#planned-looks).

Command (from the repository root; the output is checked in; it takes about 15 minutes):

    python3 pulse-stats/src/test/python/make_reference_group_sequential.py \
        pulse-stats/src/test/resources/reference/group_sequential_reference.json

Made with Python 3.11, numpy 2.4, scipy 1.17 (the versions actually used are written into the JSON).

Nothing here uses Pulse code or its recursive numerical integration. Under H0 the z-statistics at
information fractions t_1 < ... < t_K are jointly normal with Cov(Z_i, Z_j) = sqrt(t_i / t_j)
(Jennison & Turnbull 2000, Section 3.4). The probability that a path has crossed no boundary through look
k is the multivariate normal probability of a box, computed with scipy.stats.multivariate_normal.cdf
(Genz's randomized lattice rule, fixed seed; absolute error 1e-9 up to three looks and 1e-8 beyond, where
the boundaries are below 2.5 and the normal density there turns 1e-8 in P into < 1e-6 in c).
Boundary c_k solves

    P(no crossing through k-1) - P(no crossing through k) = alpha(t_k) - alpha(t_{k-1})

(one side: boxes (-inf, c_j]; two sides: boxes [-c_j, c_j] and each side spending alpha/2), by Brent's
method (scipy.optimize.brentq) on [0.5, 8]. Spending functions (Lan & DeMets, Biometrika 1983):
O'Brien-Fleming type a(t) = 2 - 2 Phi(Phi^-1(1 - a/2) / sqrt(t)); Pocock type a(t) = a ln(1 + (e - 1) t).
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import optimize
from scipy.stats import multivariate_normal, norm

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_group_sequential.py "
           "pulse-stats/src/test/resources/reference/group_sequential_reference.json")
SEED = 20261206
ABSEPS = {2: 1e-9, 3: 1e-9}  # by dimension; 1e-8 from 4 looks on


def spent(spending, t, a):
    if spending == "obrien_fleming":
        return min(a, 2.0 * norm.sf(norm.isf(a / 2.0) / math.sqrt(t)))
    return a * math.log(1.0 + (math.e - 1.0) * t)


def no_crossing(fractions, bounds, two_sided):
    """P(Z_j inside its boundary for every j) under H0."""
    k = len(bounds)
    t = np.array(fractions[:k])
    b = np.array(bounds)
    if k == 1:
        return norm.cdf(b[0]) - (norm.cdf(-b[0]) if two_sided else 0.0)
    cov = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    lower = -b if two_sided else np.full(k, -np.inf)
    dist = multivariate_normal(mean=np.zeros(k), cov=cov, abseps=ABSEPS.get(k, 1e-8), releps=0, maxpts=4 * 10 ** 6 * k, seed=SEED)
    return float(dist.cdf(b, lower_limit=lower))


def boundaries(fractions, spending, alpha, two_sided):
    side = alpha / 2.0 if two_sided else alpha
    sides = 2.0 if two_sided else 1.0
    bounds, looks, before_spent, before_cont = [], [], 0.0, 1.0
    for k, t in enumerate(fractions):
        cumulative = spent(spending, t, side)
        target = sides * (cumulative - before_spent)
        def excess(c):
            return before_cont - no_crossing(fractions, bounds + [c], two_sided) - target
        if k == 0:
            c = norm.isf(target / sides)
        else:
            # excess > 0 at c = 0.5 (too much crossing), < 0 at c = 8 (almost none); Brent's method in between
            c = optimize.brentq(excess, 0.5, 8.0, xtol=1e-9)
        bounds.append(float(c))
        before_cont = no_crossing(fractions, bounds, two_sided)
        before_spent = cumulative
        looks.append({"fraction": t, "boundary": float(c), "nominal_alpha": float(sides * norm.sf(c)),
                      "cumulative_alpha": float(sides * cumulative)})
        print(spending, "two" if two_sided else "one", k + 1, c, file=sys.stderr, flush=True)
    return looks


def calendar_fractions(start, looks):
    """(look - start + 1 day) / (last look - start + 1 day), dates as ordinal days."""
    total = looks[-1] - start + 1
    return [(d - start + 1) / total for d in looks]


CASES = [
    # planned looks 2026-03-08, 03-15, 03-29 of an experiment starting 2026-03-01 (calendar fractions)
    {"name": "calendar_looks_two_sided", "spending": "obrien_fleming", "alpha": 0.05, "sides": "two",
     "fractions": calendar_fractions(0, [7, 14, 28])},
    {"name": "calendar_looks_pocock_two_sided", "spending": "pocock", "alpha": 0.05, "sides": "two",
     "fractions": calendar_fractions(0, [7, 14, 28])},
    {"name": "obf_k3_unequal_two_sided", "spending": "obrien_fleming", "alpha": 0.05, "sides": "two",
     "fractions": [0.3, 0.55, 1.0]},
    {"name": "pocock_k4_unequal_two_sided", "spending": "pocock", "alpha": 0.05, "sides": "two",
     "fractions": [0.1, 0.5, 0.7, 1.0]},
    {"name": "obf_k4_unequal_one_sided_05", "spending": "obrien_fleming", "alpha": 0.05, "sides": "one",
     "fractions": [0.25, 0.6, 0.9, 1.0]},
    # the published tables: K = 5 equally spaced, one-sided alpha = 0.025
    {"name": "obf_k5_equal_one_sided", "spending": "obrien_fleming", "alpha": 0.025, "sides": "one",
     "fractions": [0.2, 0.4, 0.6, 0.8, 1.0]},
    {"name": "pocock_k5_equal_one_sided", "spending": "pocock", "alpha": 0.025, "sides": "one",
     "fractions": [0.2, 0.4, 0.6, 0.8, 1.0]},
]


def main():
    out = {"generator": {"command": COMMAND, "python": platform.python_version(), "numpy": np.__version__,
                         "scipy": scipy.__version__, "seed": SEED, "abseps": "1e-9 up to 3 looks, 1e-8 beyond"},
           "cases": []}
    for case in CASES:
        looks = boundaries(case["fractions"], case["spending"], case["alpha"], case["sides"] == "two")
        out["cases"].append(dict(case, looks=looks))
        with open(sys.argv[1], "w") as f:  # after each case: the slow five-look cases come last
            json.dump(out, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
