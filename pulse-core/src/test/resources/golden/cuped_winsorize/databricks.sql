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
),
`pulse_pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_revenue_per_user__numerator` END) AS `revenue_per_user__numerator`,
    SUM(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue_per_user__numerator` END) AS `revenue_per_user__numerator_pre`,
    COUNT(DISTINCT CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_revenue_per_user__denominator` END) AS `revenue_per_user__denominator`,
    COUNT(DISTINCT CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue_per_user__denominator` END) AS `revenue_per_user__denominator_pre`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue_per_user__numerator`,
      (user_id) AS `pulse_revenue_per_user__denominator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-22 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 7 DAY)
  GROUP BY `u`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue_per_user__numerator`, 0) AS DOUBLE) AS `revenue_per_user__numerator`,
    CAST(COALESCE(`p0`.`revenue_per_user__numerator_pre`, 0) AS DOUBLE) AS `revenue_per_user__numerator_pre`,
    CAST(COALESCE(`p0`.`revenue_per_user__denominator`, 0) AS DOUBLE) AS `revenue_per_user__denominator`,
    CAST(COALESCE(`p0`.`revenue_per_user__denominator_pre`, 0) AS DOUBLE) AS `revenue_per_user__denominator_pre`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pulse_caps` AS (
  SELECT
    PERCENTILE(`revenue_per_user__numerator`, 0.05) AS `revenue_per_user__lower_cap_x`,
    PERCENTILE(`revenue_per_user__denominator`, 0.05) AS `revenue_per_user__lower_cap_y`,
    PERCENTILE(`revenue_per_user__numerator_pre`, 0.05) AS `revenue_per_user__lower_cap_x0`,
    PERCENTILE(`revenue_per_user__denominator_pre`, 0.05) AS `revenue_per_user__lower_cap_y0`
  FROM `pulse_unit_values`
),
`pulse_capped_values` AS (
  SELECT
    `pulse_unit_values`.`grp` AS `grp`,
    GREATEST(`pulse_unit_values`.`revenue_per_user__numerator`, `pulse_caps`.`revenue_per_user__lower_cap_x`) AS `revenue_per_user__capped_x`,
    GREATEST(`pulse_unit_values`.`revenue_per_user__denominator`, `pulse_caps`.`revenue_per_user__lower_cap_y`) AS `revenue_per_user__capped_y`,
    GREATEST(`pulse_unit_values`.`revenue_per_user__numerator_pre`, `pulse_caps`.`revenue_per_user__lower_cap_x0`) AS `revenue_per_user__capped_x0`,
    GREATEST(`pulse_unit_values`.`revenue_per_user__denominator_pre`, `pulse_caps`.`revenue_per_user__lower_cap_y0`) AS `revenue_per_user__capped_y0`
  FROM `pulse_unit_values`
  CROSS JOIN `pulse_caps`
),
`pulse_pilots` AS (
  SELECT
    CASE WHEN SUM(`revenue_per_user__capped_y`) <> 0 THEN SUM(`revenue_per_user__capped_x`) / SUM(`revenue_per_user__capped_y`) ELSE 0 END AS `revenue_per_user__shift_x`,
    COALESCE(AVG(`revenue_per_user__capped_y`), 0) AS `revenue_per_user__center_y`,
    CASE WHEN SUM(`revenue_per_user__capped_y0`) <> 0 THEN SUM(`revenue_per_user__capped_x0`) / SUM(`revenue_per_user__capped_y0`) ELSE 0 END AS `revenue_per_user__shift_x0`,
    COALESCE(AVG(`revenue_per_user__capped_y0`), 0) AS `revenue_per_user__center_y0`
  FROM `pulse_capped_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_capped_values`.*,
    `pulse_capped_values`.`revenue_per_user__capped_x` - `pulse_pilots`.`revenue_per_user__shift_x` * `pulse_capped_values`.`revenue_per_user__capped_y` AS `revenue_per_user__shifted_x`,
    `pulse_capped_values`.`revenue_per_user__capped_y` - `pulse_pilots`.`revenue_per_user__center_y` AS `revenue_per_user__shifted_y`,
    `pulse_pilots`.`revenue_per_user__shift_x` AS `revenue_per_user__shift_x`,
    `pulse_capped_values`.`revenue_per_user__capped_x0` - `pulse_pilots`.`revenue_per_user__shift_x0` * `pulse_capped_values`.`revenue_per_user__capped_y0` AS `revenue_per_user__shifted_x0`,
    `pulse_capped_values`.`revenue_per_user__capped_y0` - `pulse_pilots`.`revenue_per_user__center_y0` AS `revenue_per_user__shifted_y0`,
    `pulse_pilots`.`revenue_per_user__shift_x0` AS `revenue_per_user__shift_x0`
  FROM `pulse_capped_values`
  CROSS JOIN `pulse_pilots`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`revenue_per_user__shifted_x`) AS `revenue_per_user__mean_x`,
    VAR_SAMP(`revenue_per_user__shifted_x`) AS `revenue_per_user__var_x`,
    AVG(`revenue_per_user__capped_y`) AS `revenue_per_user__mean_y`,
    VAR_SAMP(`revenue_per_user__shifted_y`) AS `revenue_per_user__var_y`,
    COVAR_SAMP(`revenue_per_user__shifted_x`, `revenue_per_user__shifted_y`) AS `revenue_per_user__cov_xy`,
    MIN(`revenue_per_user__shift_x`) AS `revenue_per_user__shift_x`,
    AVG(`revenue_per_user__capped_x`) AS `revenue_per_user__raw_mean_x`,
    AVG(`revenue_per_user__shifted_x0`) AS `revenue_per_user__mean_x0`,
    VAR_SAMP(`revenue_per_user__shifted_x0`) AS `revenue_per_user__var_x0`,
    COVAR_SAMP(`revenue_per_user__shifted_x`, `revenue_per_user__shifted_x0`) AS `revenue_per_user__cov_xx0`,
    MIN(`revenue_per_user__shift_x0`) AS `revenue_per_user__shift_x0`,
    AVG(`revenue_per_user__capped_y0`) AS `revenue_per_user__mean_y0`,
    VAR_SAMP(`revenue_per_user__shifted_y0`) AS `revenue_per_user__var_y0`,
    COVAR_SAMP(`revenue_per_user__shifted_x0`, `revenue_per_user__shifted_y0`) AS `revenue_per_user__cov_x0y0`,
    COVAR_SAMP(`revenue_per_user__shifted_x`, `revenue_per_user__shifted_y0`) AS `revenue_per_user__cov_xy0`,
    COVAR_SAMP(`revenue_per_user__shifted_y`, `revenue_per_user__shifted_x0`) AS `revenue_per_user__cov_yx0`,
    COVAR_SAMP(`revenue_per_user__shifted_y`, `revenue_per_user__shifted_y0`) AS `revenue_per_user__cov_yy0`
  FROM `pulse_shifted_values`
  GROUP BY `grp`
),
`pulse_exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    0 AS `excluded_unknown_group`
  FROM `pulse_exposures`
)
SELECT
  `pulse_moments`.`grp`,
  `pulse_moments`.`n`,
  `pulse_moments`.`revenue_per_user__mean_x`,
  `pulse_moments`.`revenue_per_user__var_x`,
  `pulse_moments`.`revenue_per_user__mean_y`,
  `pulse_moments`.`revenue_per_user__var_y`,
  `pulse_moments`.`revenue_per_user__cov_xy`,
  `pulse_moments`.`revenue_per_user__shift_x`,
  `pulse_moments`.`revenue_per_user__raw_mean_x`,
  `pulse_moments`.`revenue_per_user__mean_x0`,
  `pulse_moments`.`revenue_per_user__var_x0`,
  `pulse_moments`.`revenue_per_user__cov_xx0`,
  `pulse_moments`.`revenue_per_user__shift_x0`,
  `pulse_moments`.`revenue_per_user__mean_y0`,
  `pulse_moments`.`revenue_per_user__var_y0`,
  `pulse_moments`.`revenue_per_user__cov_x0y0`,
  `pulse_moments`.`revenue_per_user__cov_xy0`,
  `pulse_moments`.`revenue_per_user__cov_yx0`,
  `pulse_moments`.`revenue_per_user__cov_yy0`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`
FROM `pulse_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
ORDER BY `pulse_moments`.`grp`
