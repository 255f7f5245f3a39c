-- Pulse demo data: an org-randomized pricing test whose success metric is revenue per user.
-- Deterministic: every "random" number is a hash of a row key and a salt, so the data is the same on
-- every machine and every run. DuckDB SQL; run by `pulse demo`. Statements end with ';' at line end.
CREATE OR REPLACE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0;
-- A standard normal by Box-Muller from two uniforms.
CREATE OR REPLACE MACRO gauss(k, salt) AS sqrt(-2 * ln(uni(k, salt))) * cos(2 * pi() * uni(k, salt + 1));
-- Orgs of 1 to 150 users (most small, a few large), an org-level "quality" shared by its users,
-- assigned 50/50 at org level and first exposed in the first two weeks.
CREATE OR REPLACE TABLE orgs AS
SELECT org_id,
       CAST(LEAST(150, floor(exp(5.0 * uni(org_id, 11)))) AS INTEGER) AS users,
       CASE WHEN uni(org_id, 12) < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
       TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(uni(org_id, 13) * 14 * 86400) AS BIGINT)) AS exposed_at,
       exp(0.8 * gauss(org_id, 14)) AS quality
FROM range(1, ${orgs} + 1) t(org_id);
CREATE OR REPLACE TABLE users AS
SELECT o.org_id, o.org_id * 1000 + u AS user_id, o.variant, o.exposed_at, o.quality, o.users AS org_users,
       exp(0.6 * gauss(o.org_id * 1000 + u, 21)) AS taste,
       CAST(floor(uni(o.org_id * 1000 + u, 22) * 12) AS INTEGER) AS visits
FROM orgs o, range(1, 151) r(u)
WHERE u <= o.users;
-- Each user visits 0 to 11 times, from 3 days before the org's exposure to after the end date;
-- 30 % of visits are purchases. Revenue per purchase depends on the org (shared by its users), the
-- org's size, the user and noise; the treatment raises it by 10 % after exposure.
CREATE OR REPLACE TABLE visits AS
SELECT u.*, v,
       u.exposed_at - INTERVAL 3 DAY + to_seconds(CAST(floor(uni(u.user_id * 16 + v, 31) * 31 * 86400) AS BIGINT)) AS ts,
       CASE WHEN uni(u.user_id * 16 + v, 32) < 0.3 THEN 'purchase' ELSE 'view' END AS event
FROM users u, range(0, 12) r(v)
WHERE v < u.visits;
CREATE OR REPLACE TABLE events AS
SELECT org_id, user_id, ts, event,
       CASE WHEN event = 'purchase' THEN round(12.0 * quality * taste * (1 + 0.15 * ln(org_users))
            * exp(0.5 * gauss(user_id * 16 + v, 33))
            * CASE WHEN variant = 'treatment' AND ts >= exposed_at THEN 1.10 ELSE 1.0 END, 2) END AS revenue
FROM visits;
-- Exposures are logged per visit, so most orgs have several; a few orgs were (wrongly) shown both
-- variants, and another experiment shares the table. Each exposure row carries the org's country
-- (fixed per org; unknown, NULL, for 5 % of orgs) and the platform of that visit (it varies between
-- an org's exposures: a breakdown takes the one at the first exposure).
CREATE OR REPLACE MACRO country(org) AS CASE
    WHEN uni(org, 46) < 0.30 THEN 'US' WHEN uni(org, 46) < 0.50 THEN 'DE' WHEN uni(org, 46) < 0.65 THEN 'GB'
    WHEN uni(org, 46) < 0.77 THEN 'FR' WHEN uni(org, 46) < 0.85 THEN 'JP' WHEN uni(org, 46) < 0.90 THEN 'BR'
    WHEN uni(org, 46) < 0.95 THEN 'IN' END;
CREATE OR REPLACE MACRO platform(k) AS CASE
    WHEN uni(k, 47) < 0.55 THEN 'web' WHEN uni(k, 47) < 0.80 THEN 'ios' ELSE 'android' END;
CREATE OR REPLACE TABLE exposures AS
SELECT org_id,
       exposed_at + to_seconds(CAST(floor(uni(org_id * 8 + k, 41) * 86400 * 3) AS BIGINT)) * (k > 0)::INTEGER AS exposed_at,
       'pricing_v2' AS experiment_name, variant, country(org_id) AS country, platform(org_id * 8 + k) AS platform
FROM orgs, range(0, 3) r(k)
WHERE k = 0 OR uni(org_id * 8 + k, 42) < 0.5
UNION ALL
SELECT org_id, exposed_at + INTERVAL 2 DAY, 'pricing_v2', CASE WHEN variant = 'control' THEN 'treatment' ELSE 'control' END,
       country(org_id), platform(org_id * 8 + 5)
FROM orgs
WHERE uni(org_id, 43) < 0.004
UNION ALL
SELECT org_id, exposed_at, 'onboarding_v1', CASE WHEN uni(org_id, 44) < 0.5 THEN 'control' ELSE 'new_flow' END,
       country(org_id), platform(org_id * 8 + 6)
FROM orgs
WHERE uni(org_id, 45) < 0.4;
COPY (SELECT org_id, user_id, ts, event, revenue FROM events ORDER BY ts) TO '${data}/events.parquet' (FORMAT parquet);
COPY (SELECT * FROM exposures ORDER BY exposed_at) TO '${data}/exposures.parquet' (FORMAT parquet);
-- Added for docs/id-resolution.md and docs/event-level-outcomes.md; nothing above reads these tables,
-- so the pricing_v2 results are unchanged. No true effect in either experiment (an A/A test each).
-- Devices: every user has a phone (user_id * 10 + 1), 30 % also a laptop (user_id * 10 + 2), 2 % of
-- phones are shared with the org's next user; 5 % of users never log in (their events map to no device).
CREATE OR REPLACE TABLE devices AS
SELECT user_id, user_id * 10 + 1 AS stable_id FROM users
UNION ALL
SELECT user_id, user_id * 10 + 2 FROM users WHERE uni(user_id, 51) < 0.3
UNION ALL
SELECT user_id + 1, user_id * 10 + 1 FROM users WHERE uni(user_id, 52) < 0.02 AND user_id % 1000 < org_users;
-- Logins (identify events) between 02-25 and 03-31: some after a device's exposure (late logins),
-- some after the 03-28 end (those link nothing).
CREATE OR REPLACE TABLE identify AS
SELECT stable_id, user_id,
       TIMESTAMP '2026-02-25 00:00:00' + to_seconds(CAST(floor(uni(stable_id * 7 + user_id % 7, 54) * 34 * 86400) AS BIGINT)) AS ts
FROM devices
WHERE uni(user_id, 53) >= 0.05;
-- A device-randomized checkout test: every device, and one anonymous device per org, exposed once
-- in the first two weeks.
CREATE OR REPLACE TABLE device_exposures AS
SELECT stable_id,
       TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(uni(stable_id, 55) * 14 * 86400) AS BIGINT)) AS exposed_at,
       'checkout_v1' AS experiment_name,
       CASE WHEN uni(stable_id, 56) < 0.5 THEN 'control' ELSE 'treatment' END AS variant
FROM (SELECT DISTINCT stable_id FROM devices UNION ALL SELECT 1000000000 + org_id FROM orgs);
-- A user-randomized search test: 80 % of users exposed in the first two weeks.
CREATE OR REPLACE TABLE user_exposures AS
SELECT user_id,
       TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(uni(user_id, 61) * 14 * 86400) AS BIGINT)) AS exposed_at,
       'search_v3' AS experiment_name,
       CASE WHEN uni(user_id, 62) < 0.5 THEN 'control' ELSE 'treatment' END AS variant
FROM users
WHERE uni(user_id, 63) < 0.8;
COPY (SELECT * FROM identify ORDER BY ts, stable_id, user_id) TO '${data}/identify.parquet' (FORMAT parquet);
COPY (SELECT * FROM device_exposures ORDER BY exposed_at, stable_id) TO '${data}/device_exposures.parquet' (FORMAT parquet);
COPY (SELECT * FROM user_exposures ORDER BY exposed_at, user_id) TO '${data}/user_exposures.parquet' (FORMAT parquet);
