-- The analysis Pulse exists to replace: revenue per user with users as independent samples.
-- Same exposures, same window, same users as the ratio metric; only the unit of the variance differs.
WITH exposed AS (
  SELECT org_id, MIN(exposed_at) AS first_exposure, MIN(variant) AS variant, COUNT(DISTINCT variant) AS variants
  FROM exposures
  WHERE experiment_name = 'pricing_v2'
    AND exposed_at >= TIMESTAMP '2026-03-01 00:00:00' AND exposed_at < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY org_id),
per_user AS (
  SELECT x.variant, e.user_id, COALESCE(SUM(e.revenue), 0) AS revenue
  FROM exposed x
  JOIN events e ON e.org_id = x.org_id AND e.ts >= x.first_exposure AND e.ts < TIMESTAMP '2026-03-29 00:00:00'
  WHERE x.variants = 1
  GROUP BY x.variant, e.user_id)
SELECT variant, COUNT(*) AS n, AVG(revenue) AS mean, COALESCE(VAR_SAMP(revenue), 0) AS variance
FROM per_user
GROUP BY variant
ORDER BY variant
