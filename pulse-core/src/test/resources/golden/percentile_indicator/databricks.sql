WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
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
    RAND(0) AS `pulse_computed_once`
  FROM `pulse_exposures`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_percentile_rows` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `u`.`grp` AS `grp`,
    `r`.`pulse_value` AS `row_value`
  FROM `pulse_units` AS `u`
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
    PERCENTILE_DISC(0.9 * (1 - 1e-12)) WITHIN GROUP (ORDER BY `row_value`) AS `quantile`,
    COUNT(*) AS `records`
  FROM `pulse_percentile_rows`
  GROUP BY `grp`
),
`pulse_unit_counts` AS (
  SELECT
    `pr`.`unit_id` AS `unit_id`,
    COUNT(CASE WHEN `pr`.`row_value` <= `q`.`quantile` THEN 1 END) AS `x`,
    COUNT(*) AS `y`
  FROM `pulse_percentile_rows` AS `pr`
  JOIN `pulse_group_quantiles` AS `q`
    ON `q`.`grp` = `pr`.`grp`
  GROUP BY `pr`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`c`.`x`, 0) AS DOUBLE) AS `x`,
    CAST(COALESCE(`c`.`y`, 0) AS DOUBLE) AS `y`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_unit_counts` AS `c`
    ON `c`.`unit_id` = `u`.`unit_id`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`x`) AS `mean_x`,
    AVG(`y`) AS `mean_y`,
    VAR_SAMP(`x`) AS `var_x`,
    VAR_SAMP(`y`) AS `var_y`,
    COVAR_SAMP(`x`, `y`) AS `cov_xy`
  FROM `pulse_unit_values`
  GROUP BY `grp`
)
SELECT
  `pulse_moments`.`grp`,
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
ORDER BY `pulse_moments`.`grp`
