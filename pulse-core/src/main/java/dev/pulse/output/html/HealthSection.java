package dev.pulse.output.html;

import dev.pulse.analysis.BiasCheckResult;
import dev.pulse.analysis.ExperimentHealth;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.output.Formats;
import dev.pulse.stats.SampleRatioMismatch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The report's health section (docs/report.md#health) from {@link ExperimentHealth}: the units exposed per day and
 * group and the SRM p-value as of each day (charts and their table), the exclusions by reason, the pre-experiment
 * bias check, the progress toward the planned units and the minimum detectable effects.
 */
final class HealthSection {
    private HealthSection() {}

    static ReportModel.Health of(ExperimentResult result) {
        ExperimentHealth health = ExperimentHealth.of(result);
        List<String> groups = result.groups().stream().map(ExperimentResult.GroupCount::name).toList();
        List<ReportModel.HealthDay> days = new ArrayList<>();
        for (ExperimentHealth.Day day : health.days()) {
            List<ReportModel.UnitCell> cells = new ArrayList<>();
            for (String group : groups) {
                long cumulative = day.cumulativeUnits().getOrDefault(group, 0L);
                long added = day.newUnits().getOrDefault(group, 0L);
                cells.add(new ReportModel.UnitCell(group, HtmlReport.count(cumulative), HtmlReport.count(added),
                        cumulative, added));
            }
            Double p = day.srm().map(ExperimentResult.Srm::pValue).orElse(null);
            days.add(new ReportModel.HealthDay(day.date().toString(), cells, Formats.pValue(p), Charts.exact(p)));
        }
        ReportModel.LineChart exposures = null;
        ReportModel.LineChart srm = null;
        if (!health.days().isEmpty()) {
            List<LocalDate> dates = health.days().stream().map(ExperimentHealth.Day::date).toList();
            LinkedHashMap<String, List<Double>> added = new LinkedHashMap<>();
            for (String group : groups) {
                added.put(group, health.days().stream()
                        .map(day -> (double) day.newUnits().getOrDefault(group, 0L)).toList());
            }
            ExperimentHealth.Day last = health.days().get(health.days().size() - 1);
            List<String> totals = new ArrayList<>();
            last.cumulativeUnits().forEach((group, units) -> totals.add(group + " " + HtmlReport.count(units)));
            exposures = Charts.lines("New units per day by group", String.format(Locale.ROOT,
                    "One line per group: the units first exposed on each day from %s to %s. By %s: %s.", dates.get(0),
                    last.date(), last.date(), String.join(", ", totals)), dates, added, Charts.Axis.FROM_ZERO, null,
                    value -> HtmlReport.count(Math.round(value)));
            LinkedHashMap<String, List<Double>> p = new LinkedHashMap<>();
            p.put("SRM p-value", health.days().stream()
                    .map(day -> day.srm().map(ExperimentResult.Srm::pValue).orElse(null)).toList());
            srm = Charts.lines("Sample-ratio check by day: p-value (log scale)", String.format(Locale.ROOT,
                    "The chi-square test of the units exposed by each day against the expected shares, from %s to %s;"
                            + " dashed line: the threshold %s, below which the split is a mismatch; p-values below %s are"
                            + " drawn at the bottom. On %s: p = %s.", dates.get(0), last.date(),
                    Formats.plain(SampleRatioMismatch.THRESHOLD), Formats.plain(Charts.SMALLEST_P), last.date(),
                    Formats.pValue(last.srm().map(ExperimentResult.Srm::pValue).orElse(null))), dates, p,
                    Charts.Axis.P_VALUE, SampleRatioMismatch.THRESHOLD, value -> Formats.plain(value));
        }
        List<ReportModel.ExclusionRow> exclusions = new ArrayList<>();
        for (ExperimentHealth.Exclusion exclusion : health.exclusions()) {
            exclusions.add(new ReportModel.ExclusionRow(exclusion.key(), exclusion.reason(),
                    HtmlReport.count(exclusion.count()), exclusion.count(), exclusion.what().label()));
        }
        List<ReportModel.BiasRow> biasRows = new ArrayList<>();
        for (BiasCheckResult.Entry entry : health.biasCheck().map(BiasCheckResult::entries).orElse(List.of())) {
            biasRows.add(new ReportModel.BiasRow(entry.metric(), entry.group(),
                    Formats.signedPercent(entry.comparison().relative().estimate()),
                    Formats.pValue(entry.adjustedPValue()), entry.flagged()));
        }
        ReportModel.Progress progress = health.progress().map(p -> new ReportModel.Progress(HtmlReport.count(p.units()),
                HtmlReport.count(p.planned()), Formats.percent(p.fraction()), Math.min(100, Math.round(p.fraction() * 1000) / 10.0),
                Double.toString(p.fraction()), p.units(), p.planned(), Math.min(p.units(), p.planned()))).orElse(null);
        List<ReportModel.DetectableRow> detectable = new ArrayList<>();
        for (ExperimentHealth.Detectable d : health.power()) {
            detectable.add(new ReportModel.DetectableRow(d.metric(), d.group(), d.now() == null ? "-" : Formats.percent(d.now()),
                    d.planned() == null ? "-" : Formats.percent(d.planned()), Charts.exact(d.now()), Charts.exact(d.planned())));
        }
        return new ReportModel.Health(groups, days, exposures, srm, exclusions, HtmlReport.bias(result), biasRows,
                progress, detectable);
    }
}
