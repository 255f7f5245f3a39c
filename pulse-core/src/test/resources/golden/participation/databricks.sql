WITH
`exposures` AS (
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
`units` AS (
  SELECT
    `exposures`.`unit_id` AS `unit_id`,
    `exposures`.`grp` AS `grp`,
    `exposures`.`first_exposure` AS `first_exposure`,
    RAND(0) AS `pulse_computed_once`
  FROM `exposures`
  WHERE `exposures`.`groups_seen` = 1
    AND `exposures`.`grp` IN ('control', 'treat')
),
`daily_rows_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    DATEDIFF(CAST(`r`.`pulse_ts` AS DATE), DATE '2026-03-01') AS `day`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visit_days__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visit_days__numerator_pre`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visits__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_visit_days__numerator` END AS `visits__numerator_pre`
  FROM `units` AS `u`
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
`daily_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    `day` AS `day`,
    CASE WHEN COUNT(`visit_days__numerator`) > 0 THEN 1 ELSE 0 END AS `visit_days__numerator`,
    CASE WHEN COUNT(`visit_days__numerator_pre`) > 0 THEN 1 ELSE 0 END AS `visit_days__numerator_pre`,
    COUNT(`visits__numerator`) AS `visits__numerator`,
    COUNT(`visits__numerator_pre`) AS `visits__numerator_pre`
  FROM `daily_rows_0`
  GROUP BY `unit_id`, `day`
),
`pass_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    SUM(`visit_days__numerator`) AS `visit_days__numerator`,
    SUM(`visit_days__numerator_pre`) AS `visit_days__numerator_pre`,
    SUM(`visits__numerator`) AS `visits__numerator`,
    SUM(`visits__numerator_pre`) AS `visits__numerator_pre`
  FROM `daily_0`
  GROUP BY `unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`visit_days__numerator`, 0) AS DOUBLE) AS `visit_days__numerator`,
    CAST(COALESCE(`p0`.`visit_days__numerator_pre`, 0) AS DOUBLE) AS `visit_days__numerator_pre`,
    CAST((28 - DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01')) AS DOUBLE) AS `visit_days__denominator`,
    CAST(14 AS DOUBLE) AS `visit_days__denominator_pre`,
    CAST(COALESCE(`p0`.`visits__numerator`, 0) AS DOUBLE) AS `visits__numerator`,
    CAST(COALESCE(`p0`.`visits__numerator_pre`, 0) AS DOUBLE) AS `visits__numerator_pre`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    CASE WHEN SUM(`visit_days__denominator`) <> 0 THEN SUM(`visit_days__numerator`) / SUM(`visit_days__denominator`) ELSE 0 END AS `visit_days__shift_x`,
    COALESCE(AVG(`visit_days__denominator`), 0) AS `visit_days__center_y`,
    CASE WHEN SUM(`visit_days__denominator_pre`) <> 0 THEN SUM(`visit_days__numerator_pre`) / SUM(`visit_days__denominator_pre`) ELSE 0 END AS `visit_days__shift_x0`,
    COALESCE(AVG(`visit_days__denominator_pre`), 0) AS `visit_days__center_y0`,
    COALESCE(AVG(`visits__numerator`), 0) AS `visits__shift_x`,
    COALESCE(AVG(`visits__numerator_pre`), 0) AS `visits__shift_x0`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`visit_days__numerator` - `pilots`.`visit_days__shift_x` * `unit_values`.`visit_days__denominator` AS `visit_days__shifted_x`,
    `unit_values`.`visit_days__denominator` - `pilots`.`visit_days__center_y` AS `visit_days__shifted_y`,
    `pilots`.`visit_days__shift_x` AS `visit_days__shift_x`,
    `unit_values`.`visit_days__numerator_pre` - `pilots`.`visit_days__shift_x0` * `unit_values`.`visit_days__denominator_pre` AS `visit_days__shifted_x0`,
    `unit_values`.`visit_days__denominator_pre` - `pilots`.`visit_days__center_y0` AS `visit_days__shifted_y0`,
    `pilots`.`visit_days__shift_x0` AS `visit_days__shift_x0`,
    `unit_values`.`visits__numerator` - `pilots`.`visits__shift_x` AS `visits__shifted_x`,
    `pilots`.`visits__shift_x` AS `visits__shift_x`,
    `unit_values`.`visits__numerator_pre` - `pilots`.`visits__shift_x0` AS `visits__shifted_x0`,
    `pilots`.`visits__shift_x0` AS `visits__shift_x0`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
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
  FROM `shifted_values`
  GROUP BY `grp`
),
`days` AS (
  SELECT `d`.`day` AS `day`
  FROM range(0, 28) AS `d`(`day`)
),
`unit_days` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `u`.`grp` AS `grp`,
    `days`.`day` AS `day`
  FROM `units` AS `u`
  JOIN `days`
    ON `days`.`day` >= DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01')
),
`cumulative` AS (
  SELECT
    `ud`.`grp` AS `grp`,
    `ud`.`day` AS `day`,
    CAST(SUM(COALESCE(`d0`.`visits__numerator`, 0)) OVER (PARTITION BY `ud`.`unit_id` ORDER BY `ud`.`day` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) AS `visits__numerator`
  FROM `unit_days` AS `ud`
  LEFT JOIN `daily_0` AS `d0`
    ON `d0`.`unit_id` = `ud`.`unit_id`
    AND `d0`.`day` = `ud`.`day`
),
`daily_pilots` AS (
  SELECT
    `day` AS `day`,
    COALESCE(AVG(`visits__numerator`), 0) AS `visits__shift_x`
  FROM `cumulative`
  GROUP BY `day`
),
`daily_shifted` AS (
  SELECT
    `cumulative`.`grp` AS `grp`,
    `cumulative`.`day` AS `day`,
    `cumulative`.`visits__numerator` AS `visits__numerator`,
    `cumulative`.`visits__numerator` - `daily_pilots`.`visits__shift_x` AS `visits__shifted_x`,
    `daily_pilots`.`visits__shift_x` AS `visits__shift_x`
  FROM `cumulative`
  JOIN `daily_pilots`
    ON `daily_pilots`.`day` = `cumulative`.`day`
),
`daily_moments` AS (
  SELECT
    `day` AS `day`,
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`visits__shifted_x`) AS `visits__mean_x`,
    VAR_SAMP(`visits__shifted_x`) AS `visits__var_x`,
    MIN(`visits__shift_x`) AS `visits__shift_x`,
    AVG(`visits__numerator`) AS `visits__raw_mean_x`
  FROM `daily_shifted`
  GROUP BY `day`, `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  NULL AS `day`,
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`visit_days__mean_x`,
  `moments`.`visit_days__var_x`,
  `moments`.`visit_days__mean_y`,
  `moments`.`visit_days__var_y`,
  `moments`.`visit_days__cov_xy`,
  `moments`.`visit_days__shift_x`,
  `moments`.`visit_days__raw_mean_x`,
  `moments`.`visit_days__mean_x0`,
  `moments`.`visit_days__var_x0`,
  `moments`.`visit_days__cov_xx0`,
  `moments`.`visit_days__shift_x0`,
  `moments`.`visit_days__mean_y0`,
  `moments`.`visit_days__var_y0`,
  `moments`.`visit_days__cov_x0y0`,
  `moments`.`visit_days__cov_xy0`,
  `moments`.`visit_days__cov_yx0`,
  `moments`.`visit_days__cov_yy0`,
  `moments`.`visits__mean_x`,
  `moments`.`visits__var_x`,
  `moments`.`visits__shift_x`,
  `moments`.`visits__raw_mean_x`,
  `moments`.`visits__mean_x0`,
  `moments`.`visits__var_x0`,
  `moments`.`visits__cov_xx0`,
  `moments`.`visits__shift_x0`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
UNION ALL
SELECT
  `day`,
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
FROM `daily_moments`
ORDER BY `day` NULLS FIRST, `grp`
