package dev.lakehouse.core.maintenance;

import dev.lakehouse.core.admin.InvalidArgument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Deletes files under the table's own location that no snapshot and no metadata file references,
 * and that are older than a safety age (default 3 days, never less than 1 day) so a file still
 * being written by a job that has not committed yet is never touched. Lists through the table's
 * FileIO ({@link SupportsPrefixOperations}: S3FileIO, HadoopFileIO). A dry run answers what it
 * would delete.
 *
 * <p>Safety rules, in order: only paths strictly under {@code <table location>/}; a file whose age
 * is unknown is young; referenced = every data and delete file in every manifest of every snapshot,
 * every manifest, every manifest list, every metadata file in the metadata log, statistics files
 * and the version hint; the referenced set is recomputed after listing if the table changed
 * meanwhile.
 *
 * <p>Bounded: {@link #maxListedFiles} caps the files one call lists (a Lambda has 15 minutes; a
 * large table has millions of files). The listing is in key order, so a call that stops at the cap
 * answers {@code continueAfter}, and the next call, given it as {@link #startAfter}, lists on from
 * there (S3's ListObjectsV2 StartAfter); the maintenance state machine loops until {@code
 * continueAfter} is null. Each window is decided against the whole reference set, so the union of
 * the windows removes exactly what one unbounded call would.
 */
public final class RemoveOrphanFiles {
  private static final int SAMPLE = 20;

  private final Table table;
  private final Clock clock;
  private Duration olderThan;
  private boolean dryRun;
  private long maxListedFiles = Long.MAX_VALUE;
  private String startAfter;

  RemoveOrphanFiles(Table table, Clock clock, Duration olderThan) {
    this.table = table;
    this.clock = clock;
    this.olderThan = olderThan;
  }

  public RemoveOrphanFiles olderThan(Duration value) {
    if (value == null || value.compareTo(TableMaintenance.MIN_ORPHAN_AGE) < 0) {
      throw new InvalidArgument(
          "orphan files must be older than at least "
              + TableMaintenance.MIN_ORPHAN_AGE.toHours()
              + " hours (a running job may still be writing younger files), was "
              + value);
    }
    this.olderThan = value;
    return this;
  }

  /**
   * At most this many files are listed (and decided) by one call; see {@code continueAfter} in the
   * result.
   */
  public RemoveOrphanFiles maxListedFiles(long value) {
    if (value < 1) {
      throw new InvalidArgument("maxListedFiles must be at least 1, was " + value);
    }
    this.maxListedFiles = value;
    return this;
  }

  /**
   * Lists only files after this location (the {@code continueAfter} of the previous call); null
   * lists from the start.
   */
  public RemoveOrphanFiles startAfter(String location) {
    this.startAfter = location == null || location.isBlank() ? null : location;
    return this;
  }

  public RemoveOrphanFiles dryRun() {
    return dryRun(true);
  }

  public RemoveOrphanFiles dryRun(boolean value) {
    this.dryRun = value;
    return this;
  }

  public record Result(
      String table,
      boolean dryRun,
      String location,
      Instant olderThan,
      long listedFiles,
      long referencedFiles,
      long youngFiles,
      long orphanFiles,
      long orphanBytes,
      long deletedFiles,
      List<String> orphanSample,
      String continueAfter) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("table", table);
      m.put("operation", "removeOrphanFiles");
      m.put("dryRun", dryRun);
      m.put("location", location);
      m.put("olderThan", olderThan.toString());
      m.put("listedFiles", listedFiles);
      m.put("referencedFiles", referencedFiles);
      m.put("youngFiles", youngFiles);
      m.put("orphanFiles", orphanFiles);
      m.put("orphanBytes", orphanBytes);
      m.put("deletedFiles", deletedFiles);
      m.put("orphanSample", orphanSample);
      // "" when the listing reached the end: a JSON answer always has the key (a state machine
      // reads it).
      m.put("continueAfter", continueAfter == null ? "" : continueAfter);
      return m;
    }
  }

  public Result execute() {
    if (olderThan.compareTo(TableMaintenance.MIN_ORPHAN_AGE) < 0) {
      throw new InvalidArgument(
          "table property "
              + TableMaintenance.PROP_ORPHAN_AGE
              + " of "
              + table.name()
              + " is below the minimum of "
              + TableMaintenance.MIN_ORPHAN_AGE.toHours()
              + " hours");
    }
    table.refresh();
    FileIO io = table.io();
    if (!(io instanceof SupportsPrefixOperations prefixIo)) {
      throw new IllegalStateException(
          table.name()
              + ": FileIO "
              + io.getClass().getName()
              + " cannot list files by prefix; orphan removal needs S3FileIO or HadoopFileIO");
    }
    Instant cutoff = clock.instant().minus(olderThan);
    String root = table.location().endsWith("/") ? table.location() : table.location() + "/";
    String normalizedRoot = normalize(root);
    Long snapshotBefore = currentId(table);
    Set<String> referenced = referencedFiles(table);

    List<FileInfo> listed = new ArrayList<>();
    String continueAfter = null;
    java.util.Iterator<FileInfo> listing = listAfter(io, prefixIo, root, startAfter).iterator();
    while (listing.hasNext()) {
      FileInfo f = listing.next();
      if (listed.size() >= maxListedFiles) {
        continueAfter = listed.get(listed.size() - 1).location();
        break;
      }
      listed.add(f);
    }
    table.refresh();
    if (!java.util.Objects.equals(snapshotBefore, currentId(table))) {
      referenced.addAll(referencedFiles(table));
    }

    long young = 0;
    long orphanBytes = 0;
    List<String> orphans = new ArrayList<>();
    for (FileInfo f : listed) {
      String normalized = normalize(f.location());
      if (!normalized.startsWith(normalizedRoot) || referenced.contains(normalized)) {
        continue;
      }
      if (f.createdAtMillis() <= 0 || f.createdAtMillis() >= cutoff.toEpochMilli()) {
        young++;
        continue;
      }
      orphans.add(f.location());
      orphanBytes += Math.max(0, f.size());
    }
    long deleted = 0;
    if (!dryRun && !orphans.isEmpty()) {
      if (io instanceof SupportsBulkOperations bulk) {
        bulk.deleteFiles(orphans);
      } else {
        orphans.forEach(io::deleteFile);
      }
      deleted = orphans.size();
    }
    return new Result(
        table.name(),
        dryRun,
        root,
        cutoff,
        listed.size(),
        referenced.size(),
        young,
        orphans.size(),
        orphanBytes,
        deleted,
        List.copyOf(orphans.subList(0, Math.min(SAMPLE, orphans.size()))),
        continueAfter);
  }

  /**
   * Files under {@code root} after {@code startAfter}, in key order. On S3 the listing starts there
   * (StartAfter), so a window costs what it lists; other FileIOs (local files) list everything and
   * skip.
   */
  static Iterable<FileInfo> listAfter(
      FileIO io, SupportsPrefixOperations prefixIo, String root, String startAfter) {
    java.net.URI rootUri = java.net.URI.create(root);
    if (io instanceof org.apache.iceberg.aws.s3.S3FileIO s3
        && rootUri.getScheme() != null
        && rootUri.getScheme().startsWith("s3")) {
      String bucket = rootUri.getHost();
      String prefix = rootUri.getPath().substring(1);
      String scheme = rootUri.getScheme() + "://" + bucket + "/";
      String startKey =
          startAfter == null ? null : java.net.URI.create(startAfter).getPath().substring(1);
      return () ->
          s3
              .client()
              .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).startAfter(startKey))
              .contents()
              .stream()
              .map(o -> new FileInfo(scheme + o.key(), o.size(), o.lastModified().toEpochMilli()))
              .iterator();
    }
    List<FileInfo> all = new ArrayList<>();
    for (FileInfo f : prefixIo.listPrefix(root)) {
      if (startAfter == null || f.location().compareTo(startAfter) > 0) {
        all.add(f);
      }
    }
    all.sort(java.util.Comparator.comparing(FileInfo::location));
    return all;
  }

  private static Long currentId(Table table) {
    Snapshot s = table.currentSnapshot();
    return s == null ? null : s.snapshotId();
  }

  /** Every file the table's metadata reaches, normalized (see {@link #normalize}). */
  static Set<String> referencedFiles(Table table) {
    Set<String> files = new HashSet<>();
    FileIO io = table.io();
    ReachableFileUtil.metadataFileLocations(table, true).forEach(p -> files.add(normalize(p)));
    files.add(normalize(ReachableFileUtil.versionHintLocation(table)));
    ReachableFileUtil.statisticsFilesLocations(table).forEach(p -> files.add(normalize(p)));
    Set<String> seenManifests = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      files.add(normalize(snapshot.manifestListLocation()));
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        if (!seenManifests.add(manifest.path())) {
          continue;
        }
        files.add(normalize(manifest.path()));
        try (ManifestReader<? extends ContentFile<?>> reader =
            manifest.content() == ManifestContent.DATA
                ? ManifestFiles.read(manifest, io, table.specs())
                : ManifestFiles.readDeleteManifest(manifest, io, table.specs())) {
          for (ContentFile<?> file : reader) {
            files.add(normalize(file.location()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not read manifest " + manifest.path(), e);
        }
      }
    }
    return files;
  }

  /**
   * One spelling per file: {@code s3a://} and {@code s3n://} become {@code s3://}; {@code file:/x},
   * {@code file:///x} and {@code /x} become {@code file:///x}; duplicate slashes in the path
   * collapse.
   */
  static String normalize(String location) {
    if (location == null) {
      return "";
    }
    String loc = location.trim();
    int colon = loc.indexOf(':');
    String scheme =
        colon > 0 && loc.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*")
            ? loc.substring(0, colon).toLowerCase(Locale.ROOT)
            : null;
    if (scheme == null) {
      return "file://" + loc.replaceAll("/+", "/");
    }
    String rest = loc.substring(colon + 1);
    if (scheme.equals("file")) {
      String path = rest.startsWith("//") ? rest.substring(2) : rest;
      if (!path.startsWith("/")) {
        // file://host/path: keep host-less local paths only
        path = "/" + path;
      }
      return "file://" + path.replaceAll("/+", "/");
    }
    if (scheme.equals("s3a") || scheme.equals("s3n")) {
      scheme = "s3";
    }
    String body = rest.startsWith("//") ? rest.substring(2) : rest;
    int slash = body.indexOf('/');
    String authority = slash < 0 ? body : body.substring(0, slash);
    String path = slash < 0 ? "/" : body.substring(slash).replaceAll("/+", "/");
    return scheme + "://" + authority + path;
  }
}
