WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`
  FROM `exposures` AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00+00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  GROUP BY `src`.`org`
),
`pulse_triggers` AS (
  SELECT
    `pulse_exposures`.`unit_id` AS `unit_id`,
    MIN(`r`.`pulse_ts`) AS `triggered_at`
  FROM `pulse_exposures`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`
    FROM `page_views` AS `src`
    WHERE (
page = 'checkout'
    )
      AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00+00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `pulse_exposures`.`unit_id`
    AND `r`.`pulse_ts` >= `pulse_exposures`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  WHERE `pulse_exposures`.`groups_seen` = 1
  GROUP BY `pulse_exposures`.`unit_id`
),
`pulse_units` AS (
  SELECT
    `pulse_exposures`.`unit_id` AS `unit_id`,
    `pulse_exposures`.`grp` AS `grp`,
    `pulse_exposures`.`first_exposure` AS `first_exposure`,
    `pulse_triggers`.`triggered_at` AS `analysis_start`
  FROM `pulse_exposures`
  JOIN `pulse_triggers`
    ON `pulse_triggers`.`unit_id` = `pulse_exposures`.`unit_id`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(CASE WHEN `r`.`pulse_ts` >= `u`.`analysis_start` THEN `r`.`pulse_revenue__numerator` END) AS `revenue__numerator`,
    SUM(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue__numerator` END) AS `revenue__numerator_pre`,
    SUM(CASE WHEN `r`.`pulse_ts` >= `u`.`analysis_start` THEN CASE WHEN `r`.`pulse_ts` >= TIMESTAMP_ADD(`u`.`analysis_start`, INTERVAL 0 DAY) AND `r`.`pulse_ts` < TIMESTAMP_ADD(`u`.`analysis_start`, INTERVAL 7 DAY) THEN `r`.`pulse_revenue__numerator` END END) AS `revenue_7d__numerator`,
    SUM(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue__numerator` END) AS `revenue_7d__numerator_pre`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-22 00:00:00+00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= TIMESTAMP_SUB(`u`.`first_exposure`, INTERVAL 7 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  GROUP BY `u`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS FLOAT64) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`revenue__numerator_pre`, 0) AS FLOAT64) AS `revenue__numerator_pre`,
    CASE WHEN TIMESTAMP_ADD(`u`.`analysis_start`, INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00+00:00' THEN CAST(COALESCE(`p0`.`revenue_7d__numerator`, 0) AS FLOAT64) END AS `revenue_7d__numerator`,
    CASE WHEN TIMESTAMP_ADD(`u`.`analysis_start`, INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00+00:00' THEN CAST(COALESCE(`p0`.`revenue_7d__numerator_pre`, 0) AS FLOAT64) END AS `revenue_7d__numerator_pre`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pulse_pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`,
    COALESCE(AVG(`revenue__numerator_pre`), 0) AS `revenue__shift_x0`,
    COALESCE(AVG(`revenue_7d__numerator`), 0) AS `revenue_7d__shift_x`,
    COALESCE(AVG(`revenue_7d__numerator_pre`), 0) AS `revenue_7d__shift_x0`
  FROM `pulse_unit_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_unit_values`.*,
    `pulse_unit_values`.`revenue__numerator` - `pulse_pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pulse_pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `pulse_unit_values`.`revenue__numerator_pre` - `pulse_pilots`.`revenue__shift_x0` AS `revenue__shifted_x0`,
    `pulse_pilots`.`revenue__shift_x0` AS `revenue__shift_x0`,
    `pulse_unit_values`.`revenue_7d__numerator` - `pulse_pilots`.`revenue_7d__shift_x` AS `revenue_7d__shifted_x`,
    `pulse_pilots`.`revenue_7d__shift_x` AS `revenue_7d__shift_x`,
    `pulse_unit_values`.`revenue_7d__numerator_pre` - `pulse_pilots`.`revenue_7d__shift_x0` AS `revenue_7d__shifted_x0`,
    `pulse_pilots`.`revenue_7d__shift_x0` AS `revenue_7d__shift_x0`
  FROM `pulse_unit_values`
  CROSS JOIN `pulse_pilots`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue__numerator`) AS `revenue__raw_mean_x`,
    AVG(`revenue__shifted_x0`) AS `revenue__mean_x0`,
    VAR_SAMP(`revenue__shifted_x0`) AS `revenue__var_x0`,
    COVAR_SAMP(`revenue__shifted_x`, `revenue__shifted_x0`) AS `revenue__cov_xx0`,
    MIN(`revenue__shift_x0`) AS `revenue__shift_x0`,
    COUNT(`revenue_7d__shifted_x`) AS `revenue_7d__n`,
    AVG(`revenue_7d__shifted_x`) AS `revenue_7d__mean_x`,
    VAR_SAMP(`revenue_7d__shifted_x`) AS `revenue_7d__var_x`,
    MIN(`revenue_7d__shift_x`) AS `revenue_7d__shift_x`,
    AVG(`revenue_7d__numerator`) AS `revenue_7d__raw_mean_x`,
    AVG(`revenue_7d__shifted_x0`) AS `revenue_7d__mean_x0`,
    VAR_SAMP(`revenue_7d__shifted_x0`) AS `revenue_7d__var_x0`,
    COVAR_SAMP(`revenue_7d__shifted_x`, `revenue_7d__shifted_x0`) AS `revenue_7d__cov_xx0`,
    MIN(`revenue_7d__shift_x0`) AS `revenue_7d__shift_x0`
  FROM `pulse_shifted_values`
  GROUP BY `grp`
),
`pulse_exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`,
    COUNT(CASE WHEN `pulse_exposures`.`groups_seen` = 1 AND `pulse_exposures`.`grp` IN ('control', 'treat') AND `pulse_triggers`.`unit_id` IS NULL THEN 1 END) AS `excluded_not_triggered`
  FROM `pulse_exposures`
  LEFT JOIN `pulse_triggers`
    ON `pulse_triggers`.`unit_id` = `pulse_exposures`.`unit_id`
)
SELECT
  `pulse_moments`.`grp`,
  `pulse_moments`.`n`,
  `pulse_moments`.`revenue__mean_x`,
  `pulse_moments`.`revenue__var_x`,
  `pulse_moments`.`revenue__shift_x`,
  `pulse_moments`.`revenue__raw_mean_x`,
  `pulse_moments`.`revenue__mean_x0`,
  `pulse_moments`.`revenue__var_x0`,
  `pulse_moments`.`revenue__cov_xx0`,
  `pulse_moments`.`revenue__shift_x0`,
  `pulse_moments`.`revenue_7d__n`,
  `pulse_moments`.`revenue_7d__mean_x`,
  `pulse_moments`.`revenue_7d__var_x`,
  `pulse_moments`.`revenue_7d__shift_x`,
  `pulse_moments`.`revenue_7d__raw_mean_x`,
  `pulse_moments`.`revenue_7d__mean_x0`,
  `pulse_moments`.`revenue_7d__var_x0`,
  `pulse_moments`.`revenue_7d__cov_xx0`,
  `pulse_moments`.`revenue_7d__shift_x0`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`,
  `pulse_exclusions`.`excluded_not_triggered`
FROM `pulse_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
ORDER BY `pulse_moments`.`grp`
