WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    RAND(0) AS `pulse_computed_once`
  FROM `exposures` AS `src`
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
`pulse_daily_rows_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    DATEDIFF(CAST(`r`.`pulse_ts` AS DATE), DATE '2026-03-01') AS `day`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visit_days__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visit_days__numerator_pre`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visits__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visits__numerator_pre`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CASE WHEN (event = 'visit') THEN 1 END AS `pulse_visit_days__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-15 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
),
`pulse_daily_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    `day` AS `day`,
    CASE WHEN COUNT(`visit_days__numerator`) > 0 THEN 1 ELSE 0 END AS `visit_days__numerator`,
    CASE WHEN COUNT(`visit_days__numerator_pre`) > 0 THEN 1 ELSE 0 END AS `visit_days__numerator_pre`,
    COUNT(`visits__numerator`) AS `visits__numerator`,
    COUNT(`visits__numerator_pre`) AS `visits__numerator_pre`
  FROM `pulse_daily_rows_0`
  GROUP BY `unit_id`, `day`
),
`pulse_pass_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    SUM(`visit_days__numerator`) AS `visit_days__numerator`,
    SUM(`visit_days__numerator_pre`) AS `visit_days__numerator_pre`,
    SUM(`visits__numerator`) AS `visits__numerator`,
    SUM(`visits__numerator_pre`) AS `visits__numerator_pre`
  FROM `pulse_daily_0`
  GROUP BY `unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`visit_days__numerator`, 0) AS DOUBLE) AS `visit_days__numerator`,
    CAST(COALESCE(`p0`.`visit_days__numerator_pre`, 0) AS DOUBLE) AS `visit_days__numerator_pre`,
    CAST((28 - DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01')) AS DOUBLE) AS `visit_days__denominator`,
    CAST(14 AS DOUBLE) AS `visit_days__denominator_pre`,
    CAST(COALESCE(`p0`.`visits__numerator`, 0) AS DOUBLE) AS `visits__numerator`,
    CAST(COALESCE(`p0`.`visits__numerator_pre`, 0) AS DOUBLE) AS `visits__numerator_pre`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pulse_pilots` AS (
  SELECT
    CASE WHEN SUM(`visit_days__denominator`) <> 0 THEN SUM(`visit_days__numerator`) / SUM(`visit_days__denominator`) ELSE 0 END AS `visit_days__shift_x`,
    COALESCE(AVG(`visit_days__denominator`), 0) AS `visit_days__center_y`,
    CASE WHEN SUM(`visit_days__denominator_pre`) <> 0 THEN SUM(`visit_days__numerator_pre`) / SUM(`visit_days__denominator_pre`) ELSE 0 END AS `visit_days__shift_x0`,
    COALESCE(AVG(`visit_days__denominator_pre`), 0) AS `visit_days__center_y0`,
    COALESCE(AVG(`visits__numerator`), 0) AS `visits__shift_x`,
    COALESCE(AVG(`visits__numerator_pre`), 0) AS `visits__shift_x0`
  FROM `pulse_unit_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_unit_values`.*,
    `pulse_unit_values`.`visit_days__numerator` - `pulse_pilots`.`visit_days__shift_x` * `pulse_unit_values`.`visit_days__denominator` AS `visit_days__shifted_x`,
    `pulse_unit_values`.`visit_days__denominator` - `pulse_pilots`.`visit_days__center_y` AS `visit_days__shifted_y`,
    `pulse_pilots`.`visit_days__shift_x` AS `visit_days__shift_x`,
    `pulse_unit_values`.`visit_days__numerator_pre` - `pulse_pilots`.`visit_days__shift_x0` * `pulse_unit_values`.`visit_days__denominator_pre` AS `visit_days__shifted_x0`,
    `pulse_unit_values`.`visit_days__denominator_pre` - `pulse_pilots`.`visit_days__center_y0` AS `visit_days__shifted_y0`,
    `pulse_pilots`.`visit_days__shift_x0` AS `visit_days__shift_x0`,
    `pulse_unit_values`.`visits__numerator` - `pulse_pilots`.`visits__shift_x` AS `visits__shifted_x`,
    `pulse_pilots`.`visits__shift_x` AS `visits__shift_x`,
    `pulse_unit_values`.`visits__numerator_pre` - `pulse_pilots`.`visits__shift_x0` AS `visits__shifted_x0`,
    `pulse_pilots`.`visits__shift_x0` AS `visits__shift_x0`
  FROM `pulse_unit_values`
  CROSS JOIN `pulse_pilots`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`visit_days__shifted_x`) AS `visit_days__mean_x`,
    VAR_SAMP(`visit_days__shifted_x`) AS `visit_days__var_x`,
    AVG(`visit_days__denominator`) AS `visit_days__mean_y`,
    VAR_SAMP(`visit_days__shifted_y`) AS `visit_days__var_y`,
    COVAR_SAMP(`visit_days__shifted_x`, `visit_days__shifted_y`) AS `visit_days__cov_xy`,
    MIN(`visit_days__shift_x`) AS `visit_days__shift_x`,
    AVG(`visit_days__numerator`) AS `visit_days__raw_mean_x`,
    AVG(`visit_days__shifted_x0`) AS `visit_days__mean_x0`,
    VAR_SAMP(`visit_days__shifted_x0`) AS `visit_days__var_x0`,
    COVAR_SAMP(`visit_days__shifted_x`, `visit_days__shifted_x0`) AS `visit_days__cov_xx0`,
    MIN(`visit_days__shift_x0`) AS `visit_days__shift_x0`,
    AVG(`visit_days__denominator_pre`) AS `visit_days__mean_y0`,
    VAR_SAMP(`visit_days__shifted_y0`) AS `visit_days__var_y0`,
    COVAR_SAMP(`visit_days__shifted_x0`, `visit_days__shifted_y0`) AS `visit_days__cov_x0y0`,
    COVAR_SAMP(`visit_days__shifted_x`, `visit_days__shifted_y0`) AS `visit_days__cov_xy0`,
    COVAR_SAMP(`visit_days__shifted_y`, `visit_days__shifted_x0`) AS `visit_days__cov_yx0`,
    COVAR_SAMP(`visit_days__shifted_y`, `visit_days__shifted_y0`) AS `visit_days__cov_yy0`,
    AVG(`visits__shifted_x`) AS `visits__mean_x`,
    VAR_SAMP(`visits__shifted_x`) AS `visits__var_x`,
    MIN(`visits__shift_x`) AS `visits__shift_x`,
    AVG(`visits__numerator`) AS `visits__raw_mean_x`,
    AVG(`visits__shifted_x0`) AS `visits__mean_x0`,
    VAR_SAMP(`visits__shifted_x0`) AS `visits__var_x0`,
    COVAR_SAMP(`visits__shifted_x`, `visits__shifted_x0`) AS `visits__cov_xx0`,
    MIN(`visits__shift_x0`) AS `visits__shift_x0`
  FROM `pulse_shifted_values`
  GROUP BY `grp`
),
`pulse_days` AS (
  SELECT `d`.`day` AS `day`
  FROM range(0, 28) AS `d`(`day`)
),
`pulse_unit_days` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `u`.`grp` AS `grp`,
    `pulse_days`.`day` AS `day`,
    `pulse_days`.`day` - DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01') AS `days_since_exposure`
  FROM `pulse_units` AS `u`
  JOIN `pulse_days`
    ON `pulse_days`.`day` >= DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01')
),
`pulse_cumulative` AS (
  SELECT
    `ud`.`grp` AS `grp`,
    `ud`.`day` AS `day`,
    `ud`.`days_since_exposure` AS `days_since_exposure`,
    CAST(SUM(COALESCE(`d0`.`visits__numerator`, 0)) OVER (PARTITION BY `ud`.`unit_id` ORDER BY `ud`.`day` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) AS `visits__numerator`
  FROM `pulse_unit_days` AS `ud`
  LEFT JOIN `pulse_daily_0` AS `d0`
    ON `d0`.`unit_id` = `ud`.`unit_id`
    AND `d0`.`day` = `ud`.`day`
),
`pulse_daily_pilots` AS (
  SELECT
    `day` AS `day`,
    COALESCE(AVG(`visits__numerator`), 0) AS `visits__shift_x`
  FROM `pulse_cumulative`
  GROUP BY `day`
),
`pulse_daily_shifted` AS (
  SELECT
    `pulse_cumulative`.`grp` AS `grp`,
    `pulse_cumulative`.`day` AS `day`,
    `pulse_cumulative`.`visits__numerator` AS `visits__numerator`,
    `pulse_cumulative`.`visits__numerator` - `pulse_daily_pilots`.`visits__shift_x` AS `visits__shifted_x`,
    `pulse_daily_pilots`.`visits__shift_x` AS `visits__shift_x`
  FROM `pulse_cumulative`
  JOIN `pulse_daily_pilots`
    ON `pulse_daily_pilots`.`day` = `pulse_cumulative`.`day`
),
`pulse_daily_moments` AS (
  SELECT
    `day` AS `day`,
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`visits__shifted_x`) AS `visits__mean_x`,
    VAR_SAMP(`visits__shifted_x`) AS `visits__var_x`,
    MIN(`visits__shift_x`) AS `visits__shift_x`,
    AVG(`visits__numerator`) AS `visits__raw_mean_x`
  FROM `pulse_daily_shifted`
  GROUP BY `day`, `grp`
),
`pulse_exposure_day_pilots` AS (
  SELECT
    `days_since_exposure` AS `days_since_exposure`,
    COALESCE(AVG(`visits__numerator`), 0) AS `visits__shift_x`
  FROM `pulse_cumulative`
  GROUP BY `days_since_exposure`
),
`pulse_exposure_day_shifted` AS (
  SELECT
    `pulse_cumulative`.`grp` AS `grp`,
    `pulse_cumulative`.`days_since_exposure` AS `days_since_exposure`,
    `pulse_cumulative`.`visits__numerator` AS `visits__numerator`,
    `pulse_cumulative`.`visits__numerator` - `pulse_exposure_day_pilots`.`visits__shift_x` AS `visits__shifted_x`,
    `pulse_exposure_day_pilots`.`visits__shift_x` AS `visits__shift_x`
  FROM `pulse_cumulative`
  JOIN `pulse_exposure_day_pilots`
    ON `pulse_exposure_day_pilots`.`days_since_exposure` = `pulse_cumulative`.`days_since_exposure`
),
`pulse_exposure_day_moments` AS (
  SELECT
    `days_since_exposure` AS `days_since_exposure`,
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`visits__shifted_x`) AS `visits__mean_x`,
    VAR_SAMP(`visits__shifted_x`) AS `visits__var_x`,
    MIN(`visits__shift_x`) AS `visits__shift_x`,
    AVG(`visits__numerator`) AS `visits__raw_mean_x`
  FROM `pulse_exposure_day_shifted`
  GROUP BY `days_since_exposure`, `grp`
),
`pulse_exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `pulse_exposures`
)
SELECT
  NULL AS `day`,
  CAST(NULL AS BIGINT) AS `days_since_exposure`,
  `pulse_moments`.`grp`,
  `pulse_moments`.`n`,
  `pulse_moments`.`visit_days__mean_x`,
  `pulse_moments`.`visit_days__var_x`,
  `pulse_moments`.`visit_days__mean_y`,
  `pulse_moments`.`visit_days__var_y`,
  `pulse_moments`.`visit_days__cov_xy`,
  `pulse_moments`.`visit_days__shift_x`,
  `pulse_moments`.`visit_days__raw_mean_x`,
  `pulse_moments`.`visit_days__mean_x0`,
  `pulse_moments`.`visit_days__var_x0`,
  `pulse_moments`.`visit_days__cov_xx0`,
  `pulse_moments`.`visit_days__shift_x0`,
  `pulse_moments`.`visit_days__mean_y0`,
  `pulse_moments`.`visit_days__var_y0`,
  `pulse_moments`.`visit_days__cov_x0y0`,
  `pulse_moments`.`visit_days__cov_xy0`,
  `pulse_moments`.`visit_days__cov_yx0`,
  `pulse_moments`.`visit_days__cov_yy0`,
  `pulse_moments`.`visits__mean_x`,
  `pulse_moments`.`visits__var_x`,
  `pulse_moments`.`visits__shift_x`,
  `pulse_moments`.`visits__raw_mean_x`,
  `pulse_moments`.`visits__mean_x0`,
  `pulse_moments`.`visits__var_x0`,
  `pulse_moments`.`visits__cov_xx0`,
  `pulse_moments`.`visits__shift_x0`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`
FROM `pulse_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
UNION ALL
SELECT
  `day`,
  NULL,
  `grp`,
  `n`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  `visits__mean_x`,
  `visits__var_x`,
  `visits__shift_x`,
  `visits__raw_mean_x`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM `pulse_daily_moments`
UNION ALL
SELECT
  NULL,
  `days_since_exposure`,
  `grp`,
  `n`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  `visits__mean_x`,
  `visits__var_x`,
  `visits__shift_x`,
  `visits__raw_mean_x`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM `pulse_exposure_day_moments`
ORDER BY `day` NULLS FIRST, `days_since_exposure` NULLS FIRST, `grp`
