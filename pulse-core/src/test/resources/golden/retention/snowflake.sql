WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen"
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
    "pulse_exposures"."first_exposure" AS "first_exposure"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
    AND "pulse_exposures"."grp" IN ('control', 'treat')
),
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= DATEADD(DAY, 7, "u"."first_exposure") AND "r"."pulse_ts" < DATEADD(DAY, 14, "u"."first_exposure") THEN "r"."pulse_d7_retention__numerator" END) > 0 THEN 1 ELSE 0 END AS "d7_retention__numerator",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= DATEADD(DAY, 1, "u"."first_exposure") AND "r"."pulse_ts" < DATEADD(DAY, 2, "u"."first_exposure") THEN "r"."pulse_d1_retention__numerator" END) > 0 THEN 1 ELSE 0 END AS "d1_retention__numerator",
    CASE WHEN COUNT("r"."pulse_d7_retention__numerator") > 0 THEN 1 ELSE 0 END AS "active_orgs__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (event = 'session_start') THEN 1 END AS "pulse_d7_retention__numerator",
      1 AS "pulse_d1_retention__numerator"
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
    CASE WHEN DATEADD(DAY, 14, "u"."first_exposure") <= CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ) THEN CAST(COALESCE("p0"."d7_retention__numerator", 0) AS DOUBLE) END AS "d7_retention__numerator",
    CASE WHEN DATEADD(DAY, 2, "u"."first_exposure") <= CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ) THEN CAST(COALESCE("p0"."d1_retention__numerator", 0) AS DOUBLE) END AS "d1_retention__numerator",
    CAST(COALESCE("p0"."active_orgs__numerator", 0) AS DOUBLE) AS "active_orgs__numerator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("d7_retention__numerator"), 0) AS "d7_retention__shift_x",
    COALESCE(AVG("d1_retention__numerator"), 0) AS "d1_retention__shift_x",
    COALESCE(AVG("active_orgs__numerator"), 0) AS "active_orgs__shift_x"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."d7_retention__numerator" - "pulse_pilots"."d7_retention__shift_x" AS "d7_retention__shifted_x",
    "pulse_pilots"."d7_retention__shift_x" AS "d7_retention__shift_x",
    "pulse_unit_values"."d1_retention__numerator" - "pulse_pilots"."d1_retention__shift_x" AS "d1_retention__shifted_x",
    "pulse_pilots"."d1_retention__shift_x" AS "d1_retention__shift_x",
    "pulse_unit_values"."active_orgs__numerator" - "pulse_pilots"."active_orgs__shift_x" AS "active_orgs__shifted_x",
    "pulse_pilots"."active_orgs__shift_x" AS "active_orgs__shift_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    COUNT("d7_retention__shifted_x") AS "d7_retention__n",
    AVG("d7_retention__shifted_x") AS "d7_retention__mean_x",
    VAR_SAMP("d7_retention__shifted_x") AS "d7_retention__var_x",
    MIN("d7_retention__shift_x") AS "d7_retention__shift_x",
    AVG("d7_retention__numerator") AS "d7_retention__raw_mean_x",
    COUNT("d1_retention__shifted_x") AS "d1_retention__n",
    AVG("d1_retention__shifted_x") AS "d1_retention__mean_x",
    VAR_SAMP("d1_retention__shifted_x") AS "d1_retention__var_x",
    MIN("d1_retention__shift_x") AS "d1_retention__shift_x",
    AVG("d1_retention__numerator") AS "d1_retention__raw_mean_x",
    AVG("active_orgs__shifted_x") AS "active_orgs__mean_x",
    VAR_SAMP("active_orgs__shifted_x") AS "active_orgs__var_x",
    MIN("active_orgs__shift_x") AS "active_orgs__shift_x",
    AVG("active_orgs__numerator") AS "active_orgs__raw_mean_x"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."d7_retention__n",
  "pulse_moments"."d7_retention__mean_x",
  "pulse_moments"."d7_retention__var_x",
  "pulse_moments"."d7_retention__shift_x",
  "pulse_moments"."d7_retention__raw_mean_x",
  "pulse_moments"."d1_retention__n",
  "pulse_moments"."d1_retention__mean_x",
  "pulse_moments"."d1_retention__var_x",
  "pulse_moments"."d1_retention__shift_x",
  "pulse_moments"."d1_retention__raw_mean_x",
  "pulse_moments"."active_orgs__mean_x",
  "pulse_moments"."active_orgs__var_x",
  "pulse_moments"."active_orgs__shift_x",
  "pulse_moments"."active_orgs__raw_mean_x",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
