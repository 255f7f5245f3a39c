WITH
"exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen",
    ARG_MIN(COALESCE(CAST("src"."country" AS VARCHAR), '(null)'), "src"."ts") AS "d0",
    ARG_MIN(COALESCE(CAST("src"."platform" AS VARCHAR), '(null)'), "src"."ts") AS "d1"
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
    "exposures"."first_exposure" AS "first_exposure",
    "exposures"."d0" AS "d0",
    "exposures"."d1" AS "d1"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM("r"."pulse_c0") AS "a0",
    COUNT("r"."pulse_c1") AS "a1"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_c0",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_c1"
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
    "u"."d0" AS "d0",
    "u"."d1" AS "d1",
    CAST(COALESCE("p0"."a0", 0) AS DOUBLE) AS "v0",
    CAST(COALESCE("p0"."a1", 0) AS DOUBLE) AS "v1"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"caps" AS (
  SELECT
    QUANTILE_CONT("v0", 0.99) AS "m0_x_upper"
  FROM "unit_values"
),
"capped_values" AS (
  SELECT
    "unit_values"."grp" AS "grp",
    "unit_values"."d0" AS "d0",
    "unit_values"."d1" AS "d1",
    "unit_values"."v1" AS "v1",
    LEAST("unit_values"."v0", "caps"."m0_x_upper") AS "m0_x"
  FROM "unit_values"
  CROSS JOIN "caps"
),
"dimension_counts" AS (
  SELECT
    "capped_values".*,
    COUNT(*) OVER (PARTITION BY "d0") AS "d0_units",
    COUNT(*) OVER (PARTITION BY "d1") AS "d1_units"
  FROM "capped_values"
),
"dimension_buckets" AS (
  SELECT
    "dimension_counts".*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d0_units" DESC, "d0" COLLATE "binary") <= 5 THEN "d0" ELSE '(other)' END AS "d0_bucket",
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d1_units" DESC, "d1" COLLATE "binary") <= 5 THEN "d1" ELSE '(other)' END AS "d1_bucket"
  FROM "dimension_counts"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("m0_x"), 0) AS "m0_shift_x",
    COALESCE(AVG("v1"), 0) AS "m1_shift_x"
  FROM "dimension_buckets"
),
"shifted_values" AS (
  SELECT
    "dimension_buckets".*,
    "dimension_buckets"."m0_x" - "pilots"."m0_shift_x" AS "s0_x",
    "pilots"."m0_shift_x" AS "m0_shift_x",
    "dimension_buckets"."v1" - "pilots"."m1_shift_x" AS "s1_x",
    "pilots"."m1_shift_x" AS "m1_shift_x"
  FROM "dimension_buckets"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    CASE WHEN "d0_bucket" IS NOT NULL THEN 'country' WHEN "d1_bucket" IS NOT NULL THEN 'platform' END AS "dimension",
    COALESCE("d0_bucket", "d1_bucket") AS "dimension_value",
    COUNT(*) AS "n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("m0_x") AS "m0_raw_mean_x",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v1") AS "m1_raw_mean_x"
  FROM "shifted_values"
  GROUP BY GROUPING SETS (("grp"), ("grp", "d0_bucket"), ("grp", "d1_bucket"))
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  "moments"."grp",
  "moments"."dimension",
  "moments"."dimension_value",
  "moments"."n",
  "moments"."m0_mean_x",
  "moments"."m0_var_x",
  "moments"."m0_shift_x",
  "moments"."m0_raw_mean_x",
  "moments"."m1_mean_x",
  "moments"."m1_var_x",
  "moments"."m1_shift_x",
  "moments"."m1_raw_mean_x",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."dimension" NULLS FIRST, "moments"."dimension_value" NULLS FIRST, "moments"."grp"
