WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen",
    MIN_BY(COALESCE(CAST("src"."country" AS VARCHAR), '(null)'), CASE WHEN COALESCE(CAST("src"."country" AS VARCHAR), '(null)') IS NOT NULL THEN "src"."ts" END) AS "d0",
    MIN_BY(COALESCE(CAST("src"."platform" AS VARCHAR), '(null)'), CASE WHEN COALESCE(CAST("src"."platform" AS VARCHAR), '(null)') IS NOT NULL THEN "src"."ts" END) AS "d1"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
    AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  GROUP BY "src"."org"
),
"pulse_units" AS (
  SELECT
    "pulse_exposures"."unit_id" AS "unit_id",
    "pulse_exposures"."grp" AS "grp",
    "pulse_exposures"."first_exposure" AS "first_exposure",
    "pulse_exposures"."d0" AS "d0",
    "pulse_exposures"."d1" AS "d1"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
    AND "pulse_exposures"."grp" IN ('control', 'treat')
),
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM("r"."pulse_revenue__numerator") AS "revenue__numerator",
    COUNT("r"."pulse_purchases__numerator") AS "purchases__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue__numerator",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_purchases__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    "u"."d0" AS "d0",
    "u"."d1" AS "d1",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE) AS "revenue__numerator",
    CAST(COALESCE("p0"."purchases__numerator", 0) AS DOUBLE) AS "purchases__numerator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_caps" AS (
  SELECT
    PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY "revenue__numerator") AS "revenue__upper_cap_x"
  FROM "pulse_unit_values"
),
"pulse_capped_values" AS (
  SELECT
    "pulse_unit_values"."grp" AS "grp",
    "pulse_unit_values"."d0" AS "d0",
    "pulse_unit_values"."d1" AS "d1",
    "pulse_unit_values"."purchases__numerator" AS "purchases__numerator",
    LEAST("pulse_unit_values"."revenue__numerator", "pulse_caps"."revenue__upper_cap_x") AS "revenue__capped_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_caps"
),
"pulse_dimension_counts" AS (
  SELECT
    "pulse_capped_values".*,
    COUNT(*) OVER (PARTITION BY "d0") AS "d0_units",
    COUNT(*) OVER (PARTITION BY "d1") AS "d1_units"
  FROM "pulse_capped_values"
),
"pulse_dimension_buckets" AS (
  SELECT
    "pulse_dimension_counts".*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d0_units" DESC, COLLATE("d0", 'utf8')) <= 5 THEN "d0" ELSE '(other)' END AS "d0_bucket",
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d1_units" DESC, COLLATE("d1", 'utf8')) <= 5 THEN "d1" ELSE '(other)' END AS "d1_bucket"
  FROM "pulse_dimension_counts"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("revenue__capped_x"), 0) AS "revenue__shift_x",
    COALESCE(AVG("purchases__numerator"), 0) AS "purchases__shift_x"
  FROM "pulse_dimension_buckets"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_dimension_buckets".*,
    "pulse_dimension_buckets"."revenue__capped_x" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_dimension_buckets"."purchases__numerator" - "pulse_pilots"."purchases__shift_x" AS "purchases__shifted_x",
    "pulse_pilots"."purchases__shift_x" AS "purchases__shift_x"
  FROM "pulse_dimension_buckets"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    CASE WHEN "d0_bucket" IS NOT NULL THEN 'country' WHEN "d1_bucket" IS NOT NULL THEN 'platform' END AS "dimension",
    COALESCE("d0_bucket", "d1_bucket") AS "dimension_value",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__capped_x") AS "revenue__raw_mean_x",
    AVG("purchases__shifted_x") AS "purchases__mean_x",
    VAR_SAMP("purchases__shifted_x") AS "purchases__var_x",
    MIN("purchases__shift_x") AS "purchases__shift_x",
    AVG("purchases__numerator") AS "purchases__raw_mean_x"
  FROM "pulse_shifted_values"
  GROUP BY GROUPING SETS (("grp"), ("grp", "d0_bucket"), ("grp", "d1_bucket"))
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."dimension",
  "pulse_moments"."dimension_value",
  "pulse_moments"."n",
  "pulse_moments"."revenue__mean_x",
  "pulse_moments"."revenue__var_x",
  "pulse_moments"."revenue__shift_x",
  "pulse_moments"."revenue__raw_mean_x",
  "pulse_moments"."purchases__mean_x",
  "pulse_moments"."purchases__var_x",
  "pulse_moments"."purchases__shift_x",
  "pulse_moments"."purchases__raw_mean_x",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."dimension" NULLS FIRST, "pulse_moments"."dimension_value" NULLS FIRST, "pulse_moments"."grp"
