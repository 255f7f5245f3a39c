WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    MIN_BY(COALESCE(CAST(`src`.`country` AS STRING), '(null)'), CASE WHEN COALESCE(CAST(`src`.`country` AS STRING), '(null)') IS NOT NULL THEN `src`.`ts` END) AS `d0`,
    MIN_BY(COALESCE(CAST(`src`.`platform` AS STRING), '(null)'), CASE WHEN COALESCE(CAST(`src`.`platform` AS STRING), '(null)') IS NOT NULL THEN `src`.`ts` END) AS `d1`,
    RAND(0) AS `pulse_computed_once`
  FROM `analytics`.`exposures` AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `src`.`org`
),
`pulse_units` AS (
  SELECT
    `pulse_exposures`.`unit_id` AS `unit_id`,
    `pulse_exposures`.`grp` AS `grp`,
    `pulse_exposures`.`first_exposure` AS `first_exposure`,
    `pulse_exposures`.`d0` AS `d0`,
    `pulse_exposures`.`d1` AS `d1`,
    RAND(0) AS `pulse_computed_once`
  FROM `pulse_exposures`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_dimension_counts` AS (
  SELECT
    `pulse_units`.*,
    COUNT(*) OVER (PARTITION BY `d0`) AS `d0_units`,
    COUNT(*) OVER (PARTITION BY `d1`) AS `d1_units`
  FROM `pulse_units`
),
`pulse_dimension_buckets` AS (
  SELECT
    `pulse_dimension_counts`.*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY `d0_units` DESC, `d0` COLLATE UTF8_BINARY) <= 5 THEN `d0` ELSE '(other)' END AS `d0_bucket`,
    CASE WHEN DENSE_RANK() OVER (ORDER BY `d1_units` DESC, `d1` COLLATE UTF8_BINARY) <= 5 THEN `d1` ELSE '(other)' END AS `d1_bucket`
  FROM `pulse_dimension_counts`
),
`pulse_percentile_rows` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `u`.`grp` AS `grp`,
    `u`.`d0_bucket` AS `d0_bucket`,
    `u`.`d1_bucket` AS `d1_bucket`,
    `r`.`pulse_value` AS `row_value`
  FROM `pulse_dimension_buckets` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CAST(CASE WHEN (page = 'checkout') THEN (latency_ms) END AS DOUBLE) AS `pulse_value`
    FROM `page_loads` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  WHERE `r`.`pulse_value` IS NOT NULL
),
`pulse_group_quantiles` AS (
  SELECT
    `grp` AS `grp`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN 'country' WHEN `d1_bucket` IS NOT NULL THEN 'platform' END AS `dimension`,
    COALESCE(`d0_bucket`, `d1_bucket`) AS `dimension_value`,
    PERCENTILE_DISC(0.9 * (1 - 1e-12)) WITHIN GROUP (ORDER BY `row_value`) AS `quantile`,
    COUNT(*) AS `records`
  FROM `pulse_percentile_rows`
  GROUP BY GROUPING SETS ((`grp`), (`grp`, `d0_bucket`), (`grp`, `d1_bucket`))
),
`pulse_unit_counts` AS (
  SELECT
    `pr`.`unit_id` AS `unit_id`,
    COUNT(CASE WHEN `pr`.`row_value` <= `q`.`quantile` THEN 1 END) AS `x`,
    COUNT(CASE WHEN `pr`.`row_value` <= `q0`.`quantile` THEN 1 END) AS `x_d0`,
    COUNT(CASE WHEN `pr`.`row_value` <= `q1`.`quantile` THEN 1 END) AS `x_d1`,
    COUNT(*) AS `y`
  FROM `pulse_percentile_rows` AS `pr`
  JOIN `pulse_group_quantiles` AS `q`
    ON `q`.`grp` = `pr`.`grp`
    AND `q`.`dimension` IS NULL
  JOIN `pulse_group_quantiles` AS `q0`
    ON `q0`.`grp` = `pr`.`grp`
    AND `q0`.`dimension` = 'country'
    AND `q0`.`dimension_value` = `pr`.`d0_bucket`
  JOIN `pulse_group_quantiles` AS `q1`
    ON `q1`.`grp` = `pr`.`grp`
    AND `q1`.`dimension` = 'platform'
    AND `q1`.`dimension_value` = `pr`.`d1_bucket`
  GROUP BY `pr`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    `u`.`d0_bucket` AS `d0_bucket`,
    `u`.`d1_bucket` AS `d1_bucket`,
    CAST(COALESCE(`c`.`x`, 0) AS DOUBLE) AS `x`,
    CAST(COALESCE(`c`.`x_d0`, 0) AS DOUBLE) AS `x_d0`,
    CAST(COALESCE(`c`.`x_d1`, 0) AS DOUBLE) AS `x_d1`,
    CAST(COALESCE(`c`.`y`, 0) AS DOUBLE) AS `y`
  FROM `pulse_dimension_buckets` AS `u`
  LEFT JOIN `pulse_unit_counts` AS `c`
    ON `c`.`unit_id` = `u`.`unit_id`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN 'country' WHEN `d1_bucket` IS NOT NULL THEN 'platform' END AS `dimension`,
    COALESCE(`d0_bucket`, `d1_bucket`) AS `dimension_value`,
    COUNT(*) AS `n`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN AVG(`x_d0`) WHEN `d1_bucket` IS NOT NULL THEN AVG(`x_d1`) ELSE AVG(`x`) END AS `mean_x`,
    AVG(`y`) AS `mean_y`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN VAR_SAMP(`x_d0`) WHEN `d1_bucket` IS NOT NULL THEN VAR_SAMP(`x_d1`) ELSE VAR_SAMP(`x`) END AS `var_x`,
    VAR_SAMP(`y`) AS `var_y`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN COVAR_SAMP(`x_d0`, `y`) WHEN `d1_bucket` IS NOT NULL THEN COVAR_SAMP(`x_d1`, `y`) ELSE COVAR_SAMP(`x`, `y`) END AS `cov_xy`
  FROM `pulse_unit_values`
  GROUP BY GROUPING SETS ((`grp`), (`grp`, `d0_bucket`), (`grp`, `d1_bucket`))
)
SELECT
  `pulse_moments`.`grp`,
  `pulse_moments`.`dimension`,
  `pulse_moments`.`dimension_value`,
  `pulse_moments`.`n`,
  COALESCE(`pulse_group_quantiles`.`records`, 0) AS `records`,
  `pulse_group_quantiles`.`quantile`,
  `pulse_moments`.`mean_x`,
  `pulse_moments`.`mean_y`,
  `pulse_moments`.`var_x`,
  `pulse_moments`.`var_y`,
  `pulse_moments`.`cov_xy`
FROM `pulse_moments`
LEFT JOIN `pulse_group_quantiles`
  ON `pulse_group_quantiles`.`grp` = `pulse_moments`.`grp`
  AND (`pulse_group_quantiles`.`dimension` = `pulse_moments`.`dimension` OR (`pulse_group_quantiles`.`dimension` IS NULL AND `pulse_moments`.`dimension` IS NULL))
  AND (`pulse_group_quantiles`.`dimension_value` = `pulse_moments`.`dimension_value` OR (`pulse_group_quantiles`.`dimension_value` IS NULL AND `pulse_moments`.`dimension_value` IS NULL))
ORDER BY `pulse_moments`.`dimension` NULLS FIRST, `pulse_moments`.`dimension_value` NULLS FIRST, `pulse_moments`.`grp`
