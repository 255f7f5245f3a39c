WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen"
  FROM "analytics"."exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"pulse_units" AS (
  SELECT
    "pulse_exposures"."unit_id" AS "unit_id",
    "pulse_exposures"."grp" AS "grp",
    "pulse_exposures"."first_exposure" AS "first_exposure"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
    AND "pulse_exposures"."grp" IN ('control', 'treat')
),
"pulse_percentile_rows" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    "u"."grp" AS "grp",
    "r"."pulse_value" AS "row_value"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CAST(CASE WHEN (page = 'checkout') THEN (latency_ms) END AS DOUBLE PRECISION) AS "pulse_value"
    FROM "page_loads" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  WHERE "r"."pulse_value" IS NOT NULL
)
SELECT
  PERCENTILE_DISC(0.8803 * (1 - 1e-12)) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g0_lower",
  PERCENTILE_DISC(0.9197 * (1 - 1e-12)) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g0_upper",
  PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g1_lower",
  PERCENTILE_DISC(1 * (1 - 1e-12)) WITHIN GROUP (ORDER BY CASE WHEN "grp" = ? THEN "row_value" END) AS "g1_upper"
FROM "pulse_percentile_rows"
