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
`pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_revenue__numerator` END) AS `revenue__numerator`,
    SUM(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue__numerator` END) AS `revenue__numerator_pre`,
    CASE WHEN COUNT(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_purchasing_orgs__numerator` END) > 0 THEN 1 ELSE 0 END AS `purchasing_orgs__numerator`,
    CASE WHEN COUNT(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_purchasing_orgs__numerator` END) > 0 THEN 1 ELSE 0 END AS `purchasing_orgs__numerator_pre`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`,
      CASE WHEN (event = 'purchase') THEN 1 END AS `pulse_purchasing_orgs__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-15 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`pass_1` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    COUNT(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_revenue_per_session__denominator` END) AS `revenue_per_session__denominator`,
    COUNT(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_revenue_per_session__denominator` END) AS `revenue_per_session__denominator_pre`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      1 AS `pulse_revenue_per_session__denominator`
    FROM `sessions` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-15 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS DOUBLE) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`revenue__numerator_pre`, 0) AS DOUBLE) AS `revenue__numerator_pre`,
    CAST(COALESCE(`p0`.`purchasing_orgs__numerator`, 0) AS DOUBLE) AS `purchasing_orgs__numerator`,
    CAST(COALESCE(`p0`.`purchasing_orgs__numerator_pre`, 0) AS DOUBLE) AS `purchasing_orgs__numerator_pre`,
    CAST(COALESCE(`p1`.`revenue_per_session__denominator`, 0) AS DOUBLE) AS `revenue_per_session__denominator`,
    CAST(COALESCE(`p1`.`revenue_per_session__denominator_pre`, 0) AS DOUBLE) AS `revenue_per_session__denominator_pre`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pass_1` AS `p1`
    ON `p1`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`,
    COALESCE(AVG(`revenue__numerator_pre`), 0) AS `revenue__shift_x0`,
    CASE WHEN SUM(`revenue_per_session__denominator`) <> 0 THEN SUM(`revenue__numerator`) / SUM(`revenue_per_session__denominator`) ELSE 0 END AS `revenue_per_session__shift_x`,
    COALESCE(AVG(`revenue_per_session__denominator`), 0) AS `revenue_per_session__center_y`,
    CASE WHEN SUM(`revenue_per_session__denominator_pre`) <> 0 THEN SUM(`revenue__numerator_pre`) / SUM(`revenue_per_session__denominator_pre`) ELSE 0 END AS `revenue_per_session__shift_x0`,
    COALESCE(AVG(`revenue_per_session__denominator_pre`), 0) AS `revenue_per_session__center_y0`,
    COALESCE(AVG(`purchasing_orgs__numerator`), 0) AS `purchasing_orgs__shift_x`,
    COALESCE(AVG(`purchasing_orgs__numerator_pre`), 0) AS `purchasing_orgs__shift_x0`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`revenue__numerator` - `pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `unit_values`.`revenue__numerator_pre` - `pilots`.`revenue__shift_x0` AS `revenue__shifted_x0`,
    `pilots`.`revenue__shift_x0` AS `revenue__shift_x0`,
    `unit_values`.`revenue__numerator` - `pilots`.`revenue_per_session__shift_x` * `unit_values`.`revenue_per_session__denominator` AS `revenue_per_session__shifted_x`,
    `unit_values`.`revenue_per_session__denominator` - `pilots`.`revenue_per_session__center_y` AS `revenue_per_session__shifted_y`,
    `pilots`.`revenue_per_session__shift_x` AS `revenue_per_session__shift_x`,
    `unit_values`.`revenue__numerator_pre` - `pilots`.`revenue_per_session__shift_x0` * `unit_values`.`revenue_per_session__denominator_pre` AS `revenue_per_session__shifted_x0`,
    `unit_values`.`revenue_per_session__denominator_pre` - `pilots`.`revenue_per_session__center_y0` AS `revenue_per_session__shifted_y0`,
    `pilots`.`revenue_per_session__shift_x0` AS `revenue_per_session__shift_x0`,
    `unit_values`.`purchasing_orgs__numerator` - `pilots`.`purchasing_orgs__shift_x` AS `purchasing_orgs__shifted_x`,
    `pilots`.`purchasing_orgs__shift_x` AS `purchasing_orgs__shift_x`,
    `unit_values`.`purchasing_orgs__numerator_pre` - `pilots`.`purchasing_orgs__shift_x0` AS `purchasing_orgs__shifted_x0`,
    `pilots`.`purchasing_orgs__shift_x0` AS `purchasing_orgs__shift_x0`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
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
    AVG(`revenue_per_session__shifted_x`) AS `revenue_per_session__mean_x`,
    VAR_SAMP(`revenue_per_session__shifted_x`) AS `revenue_per_session__var_x`,
    AVG(`revenue_per_session__denominator`) AS `revenue_per_session__mean_y`,
    VAR_SAMP(`revenue_per_session__shifted_y`) AS `revenue_per_session__var_y`,
    COVAR_SAMP(`revenue_per_session__shifted_x`, `revenue_per_session__shifted_y`) AS `revenue_per_session__cov_xy`,
    MIN(`revenue_per_session__shift_x`) AS `revenue_per_session__shift_x`,
    AVG(`revenue__numerator`) AS `revenue_per_session__raw_mean_x`,
    AVG(`revenue_per_session__shifted_x0`) AS `revenue_per_session__mean_x0`,
    VAR_SAMP(`revenue_per_session__shifted_x0`) AS `revenue_per_session__var_x0`,
    COVAR_SAMP(`revenue_per_session__shifted_x`, `revenue_per_session__shifted_x0`) AS `revenue_per_session__cov_xx0`,
    MIN(`revenue_per_session__shift_x0`) AS `revenue_per_session__shift_x0`,
    AVG(`revenue_per_session__denominator_pre`) AS `revenue_per_session__mean_y0`,
    VAR_SAMP(`revenue_per_session__shifted_y0`) AS `revenue_per_session__var_y0`,
    COVAR_SAMP(`revenue_per_session__shifted_x0`, `revenue_per_session__shifted_y0`) AS `revenue_per_session__cov_x0y0`,
    COVAR_SAMP(`revenue_per_session__shifted_x`, `revenue_per_session__shifted_y0`) AS `revenue_per_session__cov_xy0`,
    COVAR_SAMP(`revenue_per_session__shifted_y`, `revenue_per_session__shifted_x0`) AS `revenue_per_session__cov_yx0`,
    COVAR_SAMP(`revenue_per_session__shifted_y`, `revenue_per_session__shifted_y0`) AS `revenue_per_session__cov_yy0`,
    AVG(`purchasing_orgs__shifted_x`) AS `purchasing_orgs__mean_x`,
    VAR_SAMP(`purchasing_orgs__shifted_x`) AS `purchasing_orgs__var_x`,
    MIN(`purchasing_orgs__shift_x`) AS `purchasing_orgs__shift_x`,
    AVG(`purchasing_orgs__numerator`) AS `purchasing_orgs__raw_mean_x`,
    AVG(`purchasing_orgs__shifted_x0`) AS `purchasing_orgs__mean_x0`,
    VAR_SAMP(`purchasing_orgs__shifted_x0`) AS `purchasing_orgs__var_x0`,
    COVAR_SAMP(`purchasing_orgs__shifted_x`, `purchasing_orgs__shifted_x0`) AS `purchasing_orgs__cov_xx0`,
    MIN(`purchasing_orgs__shift_x0`) AS `purchasing_orgs__shift_x0`
  FROM `shifted_values`
  GROUP BY `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`revenue__mean_x`,
  `moments`.`revenue__var_x`,
  `moments`.`revenue__shift_x`,
  `moments`.`revenue__raw_mean_x`,
  `moments`.`revenue__mean_x0`,
  `moments`.`revenue__var_x0`,
  `moments`.`revenue__cov_xx0`,
  `moments`.`revenue__shift_x0`,
  `moments`.`revenue_per_session__mean_x`,
  `moments`.`revenue_per_session__var_x`,
  `moments`.`revenue_per_session__mean_y`,
  `moments`.`revenue_per_session__var_y`,
  `moments`.`revenue_per_session__cov_xy`,
  `moments`.`revenue_per_session__shift_x`,
  `moments`.`revenue_per_session__raw_mean_x`,
  `moments`.`revenue_per_session__mean_x0`,
  `moments`.`revenue_per_session__var_x0`,
  `moments`.`revenue_per_session__cov_xx0`,
  `moments`.`revenue_per_session__shift_x0`,
  `moments`.`revenue_per_session__mean_y0`,
  `moments`.`revenue_per_session__var_y0`,
  `moments`.`revenue_per_session__cov_x0y0`,
  `moments`.`revenue_per_session__cov_xy0`,
  `moments`.`revenue_per_session__cov_yx0`,
  `moments`.`revenue_per_session__cov_yy0`,
  `moments`.`purchasing_orgs__mean_x`,
  `moments`.`purchasing_orgs__var_x`,
  `moments`.`purchasing_orgs__shift_x`,
  `moments`.`purchasing_orgs__raw_mean_x`,
  `moments`.`purchasing_orgs__mean_x0`,
  `moments`.`purchasing_orgs__var_x0`,
  `moments`.`purchasing_orgs__cov_xx0`,
  `moments`.`purchasing_orgs__shift_x0`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
