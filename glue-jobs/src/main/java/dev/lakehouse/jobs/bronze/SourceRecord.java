package dev.lakehouse.jobs.bronze;

import java.io.Serializable;

/**
 * One record of a landed file: its position (line number for text, element or row number
 * otherwise), the raw text exactly as landed (kept in quarantine) and its JSON form (what the
 * parser reads).
 */
public record SourceRecord(long line, String raw, String json) implements Serializable {}
