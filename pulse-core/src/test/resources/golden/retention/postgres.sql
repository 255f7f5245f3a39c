WITH
"exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '7 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '14 days') THEN "r"."pulse_c0" END) > 0 THEN 1 ELSE 0 END AS "a0",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '1 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '2 days') THEN "r"."pulse_c1" END) > 0 THEN 1 ELSE 0 END AS "a1",
    CASE WHEN COUNT("r"."pulse_c0") > 0 THEN 1 ELSE 0 END AS "a2"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (event = 'session_start') THEN 1 END AS "pulse_c0",
      1 AS "pulse_c1"
    FROM "events" AS "src"
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CASE WHEN ("u"."first_exposure" + INTERVAL '14 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a0", 0) AS DOUBLE PRECISION) END AS "v0",
    CASE WHEN ("u"."first_exposure" + INTERVAL '2 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a1", 0) AS DOUBLE PRECISION) END AS "v1",
    CAST(COALESCE("p0"."a2", 0) AS DOUBLE PRECISION) AS "v2"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("v0"), 0) AS "m0_shift_x",
    COALESCE(AVG("v1"), 0) AS "m1_shift_x",
    COALESCE(AVG("v2"), 0) AS "m2_shift_x"
  FROM "unit_values"
),
"shifted_values" AS (
  SELECT
    "unit_values".*,
    "unit_values"."v0" - "pilots"."m0_shift_x" AS "s0_x",
    "pilots"."m0_shift_x" AS "m0_shift_x",
    "unit_values"."v1" - "pilots"."m1_shift_x" AS "s1_x",
    "pilots"."m1_shift_x" AS "m1_shift_x",
    "unit_values"."v2" - "pilots"."m2_shift_x" AS "s2_x",
    "pilots"."m2_shift_x" AS "m2_shift_x"
  FROM "unit_values"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    COUNT("s0_x") AS "m0_n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("v0") AS "m0_raw_mean_x",
    COUNT("s1_x") AS "m1_n",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v1") AS "m1_raw_mean_x",
    AVG("s2_x") AS "m2_mean_x",
    VAR_SAMP("s2_x") AS "m2_var_x",
    MIN("m2_shift_x") AS "m2_shift_x",
    AVG("v2") AS "m2_raw_mean_x"
  FROM "shifted_values"
  GROUP BY "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  "moments"."grp",
  "moments"."n",
  "moments"."m0_n",
  "moments"."m0_mean_x",
  "moments"."m0_var_x",
  "moments"."m0_shift_x",
  "moments"."m0_raw_mean_x",
  "moments"."m1_n",
  "moments"."m1_mean_x",
  "moments"."m1_var_x",
  "moments"."m1_shift_x",
  "moments"."m1_raw_mean_x",
  "moments"."m2_mean_x",
  "moments"."m2_var_x",
  "moments"."m2_shift_x",
  "moments"."m2_raw_mean_x",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."grp"
