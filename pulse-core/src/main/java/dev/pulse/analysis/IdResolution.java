package dev.pulse.analysis;

import java.util.Objects;

/**
 * What an experiment's ID mapping did (docs/id-resolution.md): the IDs and rows it excluded, and the
 * counted units it attributed no ID to (analysed with zeros, not excluded).
 *
 * @param source           the mapping source
 * @param idType           the ID type the mapped metric sources are keyed by
 * @param conflictingIds   IDs linked to counted units of more than one group: excluded
 * @param conflictingRows  rows of the mapped sources in the experiment's dates with a conflicting ID
 * @param unmappedRows     rows of the mapped sources in the experiment's dates whose ID links to no
 *                         counted unit
 * @param unitsWithoutIds  counted units to which no ID is attributed
 */
public record IdResolution(String source, String idType, long conflictingIds, long conflictingRows,
                           long unmappedRows, long unitsWithoutIds) {
    public IdResolution {
        Objects.requireNonNull(source);
        Objects.requireNonNull(idType);
        if (conflictingIds < 0 || conflictingRows < 0 || unmappedRows < 0 || unitsWithoutIds < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }
}
