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
),
`pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_revenue_per_session__numerator`) AS `revenue_per_session__numerator`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue_per_session__numerator`
    FROM parquet.`/data/events.parquet` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
  GROUP BY `u`.`unit_id`
),
`pass_1` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    COUNT(`r`.`pulse_revenue_per_session__denominator`) AS `revenue_per_session__denominator`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      1 AS `pulse_revenue_per_session__denominator`
    FROM `pulse_csv_ca501265f533f516` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue_per_session__numerator`, 0) AS DOUBLE) AS `revenue_per_session__numerator`,
    CAST(COALESCE(`p1`.`revenue_per_session__denominator`, 0) AS DOUBLE) AS `revenue_per_session__denominator`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pass_1` AS `p1`
    ON `p1`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    CASE WHEN SUM(`revenue_per_session__denominator`) <> 0 THEN SUM(`revenue_per_session__numerator`) / SUM(`revenue_per_session__denominator`) ELSE 0 END AS `revenue_per_session__shift_x`,
    COALESCE(AVG(`revenue_per_session__denominator`), 0) AS `revenue_per_session__center_y`,
    COALESCE(AVG(`revenue_per_session__numerator`), 0) AS `revenue__shift_x`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`revenue_per_session__numerator` - `pilots`.`revenue_per_session__shift_x` * `unit_values`.`revenue_per_session__denominator` AS `revenue_per_session__shifted_x`,
    `unit_values`.`revenue_per_session__denominator` - `pilots`.`revenue_per_session__center_y` AS `revenue_per_session__shifted_y`,
    `pilots`.`revenue_per_session__shift_x` AS `revenue_per_session__shift_x`,
    `unit_values`.`revenue_per_session__numerator` - `pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pilots`.`revenue__shift_x` AS `revenue__shift_x`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`revenue_per_session__shifted_x`) AS `revenue_per_session__mean_x`,
    VAR_SAMP(`revenue_per_session__shifted_x`) AS `revenue_per_session__var_x`,
    AVG(`revenue_per_session__denominator`) AS `revenue_per_session__mean_y`,
    VAR_SAMP(`revenue_per_session__shifted_y`) AS `revenue_per_session__var_y`,
    COVAR_SAMP(`revenue_per_session__shifted_x`, `revenue_per_session__shifted_y`) AS `revenue_per_session__cov_xy`,
    MIN(`revenue_per_session__shift_x`) AS `revenue_per_session__shift_x`,
    AVG(`revenue_per_session__numerator`) AS `revenue_per_session__raw_mean_x`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue_per_session__numerator`) AS `revenue__raw_mean_x`
  FROM `shifted_values`
  GROUP BY `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    0 AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`revenue_per_session__mean_x`,
  `moments`.`revenue_per_session__var_x`,
  `moments`.`revenue_per_session__mean_y`,
  `moments`.`revenue_per_session__var_y`,
  `moments`.`revenue_per_session__cov_xy`,
  `moments`.`revenue_per_session__shift_x`,
  `moments`.`revenue_per_session__raw_mean_x`,
  `moments`.`revenue__mean_x`,
  `moments`.`revenue__var_x`,
  `moments`.`revenue__shift_x`,
  `moments`.`revenue__raw_mean_x`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
