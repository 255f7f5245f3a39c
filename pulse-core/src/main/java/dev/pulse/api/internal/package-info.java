/**
 * Not API: the implementations behind {@code dev.pulse.api}'s interfaces, and the bridge by which Pulse's own
 * modules (the CLI, {@code pulse serve}) reach the analysis's records behind the API's results. May change in any
 * release; programs use {@code dev.pulse.api} only.
 */
package dev.pulse.api.internal;
