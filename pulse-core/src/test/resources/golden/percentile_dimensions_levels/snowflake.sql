WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen",
    MIN_BY(COALESCE(CAST("src"."country" AS VARCHAR), '(null)'), CASE WHEN COALESCE(CAST("src"."country" AS VARCHAR), '(null)') IS NOT NULL THEN "src"."ts" END) AS "d0",
    MIN_BY(COALESCE(CAST("src"."platform" AS VARCHAR), '(null)'), CASE WHEN COALESCE(CAST("src"."platform" AS VARCHAR), '(null)') IS NOT NULL THEN "src"."ts" END) AS "d1"
  FROM "analytics"."exposures" AS "src"
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
"pulse_dimension_counts" AS (
  SELECT
    "pulse_units".*,
    COUNT(*) OVER (PARTITION BY "d0") AS "d0_units",
    COUNT(*) OVER (PARTITION BY "d1") AS "d1_units"
  FROM "pulse_units"
),
"pulse_dimension_buckets" AS (
  SELECT
    "pulse_dimension_counts".*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d0_units" DESC, COLLATE("d0", 'utf8')) <= 5 THEN "d0" ELSE '(other)' END AS "d0_bucket",
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d1_units" DESC, COLLATE("d1", 'utf8')) <= 5 THEN "d1" ELSE '(other)' END AS "d1_bucket"
  FROM "pulse_dimension_counts"
),
"pulse_percentile_rows" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    "u"."grp" AS "grp",
    "u"."d0_bucket" AS "d0_bucket",
    "u"."d1_bucket" AS "d1_bucket",
    "r"."pulse_value" AS "row_value"
  FROM "pulse_dimension_buckets" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CAST(CASE WHEN (page = 'checkout') THEN (latency_ms) END AS DOUBLE) AS "pulse_value"
    FROM "page_loads" AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  WHERE "r"."pulse_value" IS NOT NULL
)
SELECT
  PERCENTILE_DISC(0.8802999999991197) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g0_lower",
  PERCENTILE_DISC(0.9196999999990803) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g0_upper",
  PERCENTILE_DISC(0.84999999999915) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? AND "d0_bucket" = ? THEN "row_value" END) AS "g1_lower",
  PERCENTILE_DISC(0.94999999999905) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? AND "d0_bucket" = ? THEN "row_value" END) AS "g1_upper",
  PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? AND "d1_bucket" = ? THEN "row_value" END) AS "g2_lower",
  PERCENTILE_DISC(0.999999999999) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? AND "d1_bucket" = ? THEN "row_value" END) AS "g2_upper"
FROM "pulse_percentile_rows"
