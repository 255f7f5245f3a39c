WITH
`exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    RAND(0) AS `pulse_computed_once`
  FROM (
SELECT org, variant, ts, exp_name
FROM raw.assignments
WHERE ts IS NOT NULL
  ) AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-02 00:00:00'
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
    SUM(`r`.`pulse_order_value__numerator`) AS `order_value__numerator`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CASE WHEN (amount > 0) THEN (amount) END AS `pulse_order_value__numerator`
    FROM (
SELECT o.org, o.ts, o.amount FROM raw.orders AS o
    ) AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-02 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-02 00:00:00'
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`order_value__numerator`, 0) AS DOUBLE) AS `order_value__numerator`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`order_value__numerator`), 0) AS `order_value__shift_x`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`order_value__numerator` - `pilots`.`order_value__shift_x` AS `order_value__shifted_x`,
    `pilots`.`order_value__shift_x` AS `order_value__shift_x`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`order_value__shifted_x`) AS `order_value__mean_x`,
    VAR_SAMP(`order_value__shifted_x`) AS `order_value__var_x`,
    MIN(`order_value__shift_x`) AS `order_value__shift_x`,
    AVG(`order_value__numerator`) AS `order_value__raw_mean_x`
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
  `moments`.`order_value__mean_x`,
  `moments`.`order_value__var_x`,
  `moments`.`order_value__shift_x`,
  `moments`.`order_value__raw_mean_x`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
