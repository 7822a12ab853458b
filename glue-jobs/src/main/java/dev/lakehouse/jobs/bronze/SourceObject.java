package dev.lakehouse.jobs.bronze;

import dev.lakehouse.core.ingest.LandingFormat;
import java.io.Serializable;

/**
 * A landed object as bronze reads it.
 *
 * @param sourceFile its identity, {@code s3://bucket/key}: what lineage columns and quarantine name
 * @param path where to read it (the same URI, or a staged local copy)
 * @param size its length in bytes, or -1 when unknown
 */
public record SourceObject(
    String sourceFile, String path, LandingFormat format, boolean gzip, long size)
    implements Serializable {}
