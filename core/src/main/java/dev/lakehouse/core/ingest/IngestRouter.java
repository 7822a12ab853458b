package dev.lakehouse.core.ingest;

import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.SourceEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Decides what happens to one landed object: validates it with {@link LandingObjectRules}, looks it
 * up in {@code pipeline_runs}, and either answers a {@link RouteDecision} or moves the object under
 * the rejected prefix (tagged and annotated with the reason) and throws the matching {@link
 * RouterException}.
 */
public final class IngestRouter {
  /** CopyObject copies at most 5 GiB in one request; larger objects are copied in parts. */
  static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;

  private final S3Client s3;
  private final Supplier<RunLog> runLog;
  private final Settings settings;

  /** Router limits; see {@link #fromEnvironment}. */
  public record Settings(long maxObjectBytes, String rejectedPrefix, long copyPartBytes) {
    public Settings {
      if (maxObjectBytes <= 0) {
        throw new IllegalArgumentException(
            "MAX_OBJECT_BYTES must be positive, was " + maxObjectBytes);
      }
      Objects.requireNonNull(rejectedPrefix, "rejectedPrefix");
      if (rejectedPrefix.isBlank()
          || rejectedPrefix.startsWith("/")
          || rejectedPrefix.startsWith(SourceEntity.LANDING_ROOT)) {
        throw new IllegalArgumentException(
            "REJECTED_PREFIX must be a relative prefix outside landing/, was '"
                + rejectedPrefix
                + "'");
      }
      rejectedPrefix = rejectedPrefix.endsWith("/") ? rejectedPrefix : rejectedPrefix + "/";
      if (copyPartBytes < 5L * 1024 * 1024) {
        throw new IllegalArgumentException("copy part size must be at least 5 MiB");
      }
    }

    public static Settings defaults() {
      return new Settings(
          LandingObjectRules.DEFAULT_MAX_OBJECT_BYTES, "rejected/", 512L * 1024 * 1024);
    }

    /**
     * {@code MAX_OBJECT_BYTES} (default 5 GiB) and {@code REJECTED_PREFIX} (default {@code
     * rejected/}).
     */
    public static Settings fromEnvironment(Map<String, String> env) {
      String max = env.get("MAX_OBJECT_BYTES");
      String prefix = env.get("REJECTED_PREFIX");
      return new Settings(
          max == null || max.isBlank()
              ? LandingObjectRules.DEFAULT_MAX_OBJECT_BYTES
              : Long.parseLong(max.trim()),
          prefix == null || prefix.isBlank() ? "rejected/" : prefix.trim(),
          512L * 1024 * 1024);
    }

    public Settings withMaxObjectBytes(long value) {
      return new Settings(value, rejectedPrefix, copyPartBytes);
    }

    public Settings withCopyPartBytes(long value) {
      return new Settings(maxObjectBytes, rejectedPrefix, value);
    }
  }

  public IngestRouter(S3Client s3, Supplier<RunLog> runLog, Settings settings) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.runLog = Objects.requireNonNull(runLog, "runLog");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Identity of a landed object in {@code pipeline_runs.source_file} and the bronze {@code
   * _source_file} column.
   */
  public static String sourceFile(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Routes one object. {@code keyMayBeUrlEncoded} is for keys taken from S3 event notifications,
   * which encode special characters: the key is tried as given, then decoded.
   */
  public RouteDecision route(String bucket, String key, boolean keyMayBeUrlEncoded) {
    RouteDecision decision = check(bucket, key, keyMayBeUrlEncoded);
    return decision.withIngestedBy(
        runLog
            .get()
            .completedIngest(decision.sourceFile(), decision.etag())
            .map(PipelineRun::executionId));
  }

  /**
   * Routes one object without asking {@code pipeline_runs} whether it was loaded before: a batch
   * asks once for all of its objects ({@link #completedIngests}).
   */
  public RouteDecision check(String bucket, String key, boolean keyMayBeUrlEncoded) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the event names no bucket");
    }
    try {
      LandingObjectRules.checkKey(bucket, key);
    } catch (RouterException e) {
      throw reject(e);
    }
    Optional<HeadObjectResponse> head = head(bucket, key);
    if (head.isEmpty() && keyMayBeUrlEncoded && (key.indexOf('%') >= 0 || key.indexOf('+') >= 0)) {
      String decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
      return check(bucket, decoded, false);
    }
    if (head.isEmpty()) {
      throw new ObjectNotFound(
          bucket,
          key,
          "s3://"
              + bucket
              + "/"
              + LandingObjectRules.printable(key)
              + " does not exist (moved or deleted before routing)");
    }
    long size = head.get().contentLength();
    String etag = stripQuotes(head.get().eTag());
    SourceEntity entity;
    LandingFormat.Detected format;
    try {
      entity = LandingObjectRules.entityFor(bucket, key);
      format = LandingObjectRules.formatFor(bucket, key, entity);
      LandingObjectRules.checkSize(bucket, key, size, settings.maxObjectBytes());
      LandingObjectRules.checkContent(bucket, key, entity, format, firstBytes(bucket, key, size));
    } catch (RouterException e) {
      throw reject(e);
    }
    String sourceFile = sourceFile(bucket, key);
    return new RouteDecision(
        entity.label(),
        entity.bronze().name(),
        entity.silver().name(),
        bucket,
        key,
        sourceFile,
        etag,
        size,
        format.format().label(),
        format.compression(),
        false,
        null);
  }

  /**
   * Which of these objects were loaded all the way, in one read of {@code pipeline_runs}: "source
   * file ETag" → the execution that loaded it.
   */
  public Map<String, String> completedIngests(Collection<String> sourceFiles) {
    Map<String, String> loaded = new LinkedHashMap<>();
    for (PipelineRun run : runLog.get().completedIngests(sourceFiles)) {
      loaded.putIfAbsent(run.sourceFile() + " " + run.sourceEtag(), run.executionId());
    }
    return loaded;
  }

  private Optional<HeadObjectResponse> head(String bucket, String key) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private byte[] firstBytes(String bucket, String key, long size) {
    long last = Math.min(size, LandingObjectRules.SNIFF_BYTES) - 1;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-" + last))) {
      return readAtMost(in, LandingObjectRules.SNIFF_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read s3://" + bucket + "/" + key, e);
    }
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] buf = new byte[max];
    int total = 0;
    int n;
    while (total < max && (n = in.read(buf, total, max - total)) > 0) {
      total += n;
    }
    return java.util.Arrays.copyOf(buf, total);
  }

  /**
   * Moves the object to {@code <rejectedPrefix><key>} with the reason in tags and metadata, then
   * returns the error.
   */
  private RouterException reject(RouterException error) {
    String bucket = error.bucket();
    String key = error.key();
    String target = settings.rejectedPrefix() + safeKey(key);
    Map<String, String> metadata =
        Map.of(
            "reject-reason", error.reason(),
            "reject-message", ascii(error.getMessage(), 1024),
            "original-key", ascii(key, 1024));
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      if (head.contentLength() > SINGLE_COPY_LIMIT) {
        multipartCopy(bucket, key, target, head.contentLength(), metadata);
      } else {
        s3.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey(key)
                    .destinationBucket(bucket)
                    .destinationKey(target)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .metadata(metadata)
                    .taggingDirective(TaggingDirective.REPLACE));
      }
      // Tags set separately: some S3-compatible servers ignore tags on CopyObject; S3 honours both
      // ways.
      s3.putObjectTagging(
          b ->
              b.bucket(bucket)
                  .key(target)
                  .tagging(
                      t ->
                          t.tagSet(
                              Tag.builder().key("reject-reason").value(error.reason()).build())));
      s3.deleteObject(b -> b.bucket(bucket).key(key));
      error.rejectedTo(target);
    } catch (NoSuchKeyException gone) {
      // Already moved by an earlier delivery of the same event: the error still stands.
    }
    return error;
  }

  /** Exposed for tests with a small part size; used for objects over CopyObject's 5 GiB limit. */
  void multipartCopy(
      String bucket, String key, String target, long size, Map<String, String> metadata) {
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(target).metadata(metadata)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long part = settings.copyPartBytes();
      int number = 1;
      for (long start = 0; start < size; start += part, number++) {
        long end = Math.min(size, start + part) - 1;
        int n = number;
        long from = start;
        String etag =
            s3.uploadPartCopy(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey(key)
                            .destinationBucket(bucket)
                            .destinationKey(target)
                            .uploadId(uploadId)
                            .partNumber(n)
                            .copySourceRange("bytes=" + from + "-" + end))
                .copyPartResult()
                .eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket).key(target).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId));
      throw e;
    }
  }

  /**
   * A key that cannot itself be a path trick: control characters and dot segments replaced, no
   * leading slash.
   */
  static String safeKey(String key) {
    StringBuilder b = new StringBuilder();
    for (String segment : key.replace('\\', '/').split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals("..") || segment.equals(".")) {
        segment = "_";
      }
      if (b.length() > 0) {
        b.append('/');
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '_' : c);
      }
    }
    return b.length() == 0 ? "_" : b.toString();
  }

  /** S3 user metadata travels in HTTP headers: keep it printable ASCII. */
  private static String ascii(String value, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && b.length() < max; i++) {
      char c = value.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private static String stripQuotes(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }
}
