package dev.lakehouse.core.ingest.batch;

import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.RouteDecision;
import dev.lakehouse.core.ingest.RouterException;
import dev.lakehouse.core.ingest.batch.BatchManifest.Entry;
import dev.lakehouse.core.ingest.batch.BatchManifest.Status;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Gathers landed objects into batches, one running batch per ingest state machine at a time. {@link
 * #claim} is the batch's first step: it yields to an earlier running execution, waits out the
 * batching window while the queue holds fewer than a batch, leases up to a batch of messages,
 * routes every object they name and writes the manifest. {@link #ack} is the last: the batch is
 * recorded, so its messages go.
 */
public final class IngestBatches {
  /** Objects routed side by side in a claim (each is two S3 round trips). */
  static final int ROUTING_THREADS = 8;

  private final IngestQueue queue;
  private final ExecutionsInProgress executions;
  private final IngestRouter router;
  private final S3Client s3;
  private final String manifestBucket;
  private final BatchSettings settings;
  private final Clock clock;

  public IngestBatches(
      IngestQueue queue,
      ExecutionsInProgress executions,
      IngestRouter router,
      S3Client s3,
      String manifestBucket,
      BatchSettings settings,
      Clock clock) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.executions = Objects.requireNonNull(executions, "executions");
    this.router = Objects.requireNonNull(router, "router");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.manifestBucket = Objects.requireNonNull(manifestBucket, "manifestBucket");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public BatchSettings settings() {
    return settings;
  }

  /**
   * Who asks for a batch: the execution (its ARN, name and start) and whether it already waited the
   * window.
   */
  public record ClaimRequest(
      String stateMachineArn,
      String executionArn,
      String executionName,
      Instant startedAt,
      boolean afterWait) {}

  /**
   * What a claim decided; {@code ready} carries the manifest and what the state machine branches
   * on. {@code accepted}, {@code skipped}, {@code rejected} and {@code rejections} are this pass's;
   * {@code acceptedTotal} and the entities the whole batch's; {@code more} says the queue still
   * holds objects and the batch may claim another pass after this one's bronze run.
   */
  public record Claim(
      String status,
      Integer waitSeconds,
      String busyWith,
      String batchId,
      String manifest,
      int pass,
      long accepted,
      long skipped,
      long rejected,
      long acceptedTotal,
      boolean more,
      List<String> entities,
      String rejections) {

    static Claim busy(String other) {
      return new Claim("busy", null, other, null, null, 0, 0, 0, 0, 0, false, List.of(), null);
    }

    static Claim empty() {
      return new Claim("empty", null, null, null, null, 0, 0, 0, 0, 0, false, List.of(), null);
    }

    static Claim waitFor(int seconds) {
      return new Claim("wait", seconds, null, null, null, 0, 0, 0, 0, 0, false, List.of(), null);
    }

    public boolean ready() {
      return status.equals("ready");
    }

    /**
     * The Lambda's answer: flat, with a boolean per entity for the state machine's Choice states.
     */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", status);
      m.put("waitSeconds", waitSeconds == null ? 0 : waitSeconds);
      if (busyWith != null) {
        m.put("busyWith", busyWith);
      }
      if (ready()) {
        m.put("batchId", batchId);
        m.put("manifest", manifest);
        m.put("pass", pass);
      }
      m.put("accepted", accepted);
      m.put("skipped", skipped);
      m.put("rejected", rejected);
      m.put("acceptedTotal", acceptedTotal);
      m.put("more", more);
      for (String entity : List.of("customers", "products", "orders")) {
        m.put(entity, entities.contains(entity));
      }
      if (rejections != null) {
        m.put("rejections", rejections);
      }
      return m;
    }
  }

  public Claim claim(ClaimRequest request) {
    Optional<ExecutionsInProgress.Running> earlier =
        executions.running(request.stateMachineArn()).stream()
            .filter(r -> !r.executionArn().equals(request.executionArn()))
            .filter(
                r ->
                    r.startedAt().isBefore(request.startedAt())
                        || (r.startedAt().equals(request.startedAt())
                            && r.executionArn().compareTo(request.executionArn()) < 0))
            .min(Comparator.comparing(ExecutionsInProgress.Running::startedAt));
    if (earlier.isPresent()) {
      return Claim.busy(
          earlier.get().executionArn()); // one batch at a time: the earlier one drains the queue
    }
    if (!request.afterWait() && settings.windowSeconds() > 0) {
      int waiting = queue.approximateSize();
      if (waiting == 0) {
        return Claim.empty();
      }
      if (waiting < settings.maxObjects()) {
        return Claim.waitFor(settings.windowSeconds());
      }
    }
    List<QueuedObject> messages =
        queue.receive(settings.maxObjects(), Duration.ofSeconds(settings.leaseSeconds()));
    if (messages.isEmpty()) {
      return Claim.empty();
    }
    BatchManifest manifest =
        new BatchManifest(
            request.executionName(),
            request.executionArn(),
            clock.instant().toString(),
            route(messages));
    return ready(manifest, write(manifest), 1);
  }

  /**
   * The next pass of a batch that drains a backlog, claimed after pass {@code afterPass}'s bronze
   * run: leases up to a batch more, routes them and adds them to the batch's manifest as pass
   * {@code afterPass + 1}. An object an earlier pass already claimed (same key and ETag) is
   * skipped. With nothing left to claim (the queue emptied meanwhile, or the batch has had its
   * {@link BatchSettings#maxPasses()}), the answer claims nothing and has no {@code more}: the
   * execution goes on to silver. Retrying a claim whose first attempt wrote its pass answers that
   * pass again instead of leasing another.
   */
  public Claim claimMore(String manifestUri, int afterPass) {
    BatchManifest manifest = read(manifestUri);
    int next = afterPass + 1;
    if (manifest.passes() >= next) {
      return ready(manifest, manifestUri, next);
    }
    List<QueuedObject> messages =
        afterPass >= settings.maxPasses()
            ? List.of()
            : queue.receive(settings.maxObjects(), Duration.ofSeconds(settings.leaseSeconds()));
    if (messages.isEmpty()) {
      return ready(manifest, manifestUri, afterPass, List.of(), false);
    }
    Set<String> claimed = new HashSet<>();
    manifest.accepted().forEach(e -> claimed.add(e.sourceFile() + " " + e.etag()));
    List<Entry> objects = new ArrayList<>(manifest.objects());
    for (Entry e : route(messages)) {
      boolean claimedBefore = e.accepted() && claimed.contains(e.sourceFile() + " " + e.etag());
      objects.add((claimedBefore ? e.skippedBy(manifest.executionId()) : e).inPass(next));
    }
    BatchManifest grown =
        new BatchManifest(
            manifest.batchId(), manifest.executionId(), manifest.createdAt(), objects);
    return ready(grown, write(grown), next);
  }

  /** Writes the manifest under its batch's key; answers its URI. */
  private String write(BatchManifest manifest) {
    String key = BatchManifest.key(manifest.batchId());
    s3.putObject(
        b -> b.bucket(manifestBucket).key(key).contentType("application/json"),
        RequestBody.fromString(manifest.toJson(), StandardCharsets.UTF_8));
    return "s3://" + manifestBucket + "/" + key;
  }

  /** The answer for a written pass: its counts, the batch's totals, and whether to drain more. */
  private Claim ready(BatchManifest manifest, String manifestUri, int pass) {
    return ready(
        manifest,
        manifestUri,
        pass,
        manifest.pass(pass),
        pass < settings.maxPasses() && queue.approximateSize() > 0);
  }

  /** An answer naming the objects this claim added ({@code claimed}, none when it added none). */
  private static Claim ready(
      BatchManifest manifest, String manifestUri, int pass, List<Entry> claimed, boolean more) {
    return new Claim(
        "ready",
        null,
        null,
        manifest.batchId(),
        manifestUri,
        pass,
        count(claimed, Status.ACCEPTED),
        count(claimed, Status.SKIPPED),
        count(claimed, Status.REJECTED),
        manifest.count(Status.ACCEPTED),
        more,
        List.copyOf(manifest.acceptedEntities()),
        rejections(manifest.batchId(), claimed));
  }

  private static long count(List<Entry> entries, Status status) {
    return entries.stream().filter(e -> e.status() == status).count();
  }

  /**
   * Deletes the batch's messages: every object it named is recorded by now, loaded, skipped or
   * rejected.
   */
  public int ack(String manifestUri) {
    BatchManifest manifest = read(manifestUri);
    queue.delete(manifest.receipts());
    return manifest.receipts().size();
  }

  /** Reads a manifest by its {@code s3://bucket/key} URI. */
  public BatchManifest read(String manifestUri) {
    return read(s3, manifestUri);
  }

  public static BatchManifest read(S3Client s3, String manifestUri) {
    if (manifestUri == null
        || !manifestUri.startsWith("s3://")
        || manifestUri.indexOf('/', 5) < 0) {
      throw new IllegalArgumentException(
          "a batch manifest is an s3://bucket/key URI, was '" + manifestUri + "'");
    }
    String bucket = manifestUri.substring(5, manifestUri.indexOf('/', 5));
    String key = manifestUri.substring(manifestUri.indexOf('/', 5) + 1);
    return BatchManifest.fromJson(
        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
  }

  /**
   * Routes each distinct object once: messages naming the same object (a duplicate delivery, or an
   * object written twice before the batch) share one entry, and the entry keeps all their receipts.
   */
  private List<Entry> route(List<QueuedObject> messages) {
    Map<String, Entry> decided = routeDistinct(messages);
    Map<String, Entry> byObject = new LinkedHashMap<>();
    for (QueuedObject message : messages) {
      Entry entry = decided.get(objectOf(message)).withReceipts(List.of(message.receipt()));
      String identity =
          entry.sourceFile() == null
              ? "message:" + message.receipt()
              : entry.status() == Status.REJECTED
                  ? entry.sourceFile()
                  : entry.sourceFile() + "#" + entry.etag();
      Entry known = byObject.get(identity);
      if (known == null) {
        byObject.put(identity, entry);
      } else {
        List<String> receipts = new ArrayList<>(known.receipts());
        receipts.addAll(entry.receipts());
        byObject.put(identity, known.withReceipts(receipts));
      }
    }
    return markLoaded(List.copyOf(byObject.values()));
  }

  /**
   * The accepted objects that an earlier execution already loaded all the way become skipped, with
   * one read of {@code pipeline_runs} for the whole batch.
   */
  private List<Entry> markLoaded(List<Entry> entries) {
    Map<String, String> loaded =
        router.completedIngests(
            entries.stream().filter(Entry::accepted).map(Entry::sourceFile).distinct().toList());
    return entries.stream()
        .map(
            e -> {
              String by = e.accepted() ? loaded.get(e.sourceFile() + " " + e.etag()) : null;
              return by == null ? e : e.skippedBy(by);
            })
        .toList();
  }

  /**
   * Routes each distinct object of the messages once, {@value #ROUTING_THREADS} at a time: routing
   * is two S3 requests per object (HEAD, and the first bytes to sniff its format), so a batch of a
   * hundred objects waits for their round trips side by side rather than one after another. The
   * same object named twice is routed once (rejecting it moves it, so a second look would not find
   * it).
   */
  private Map<String, Entry> routeDistinct(List<QueuedObject> messages) {
    Map<String, QueuedObject> distinct = new LinkedHashMap<>();
    for (QueuedObject message : messages) {
      distinct.putIfAbsent(objectOf(message), message);
    }
    Map<String, Entry> decided = new LinkedHashMap<>();
    if (distinct.size() == 1) {
      distinct.forEach((object, message) -> decided.put(object, routeOne(message)));
      return decided;
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(ROUTING_THREADS, distinct.size()));
    try {
      Map<String, java.util.concurrent.Future<Entry>> pending = new LinkedHashMap<>();
      distinct.forEach(
          (object, message) -> pending.put(object, pool.submit(() -> routeOne(message))));
      for (Map.Entry<String, java.util.concurrent.Future<Entry>> p : pending.entrySet()) {
        decided.put(p.getKey(), p.getValue().get());
      }
      return decided;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while routing the batch's objects", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a message names: its object, or (not an object event) the message itself. */
  private static String objectOf(QueuedObject message) {
    return message.isObjectEvent()
        ? message.bucket() + "/" + message.key()
        : "message:" + message.receipt();
  }

  private Entry routeOne(QueuedObject message) {
    List<String> receipts = List.of(message.receipt());
    if (!message.isObjectEvent()) {
      return new Entry(
          Status.REJECTED,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          "dev.lakehouse.core.admin.InvalidArgument",
          "the queued message is not an S3 'Object Created' event: " + abbreviate(message.body()),
          receipts,
          null);
    }
    try {
      RouteDecision d = router.check(message.bucket(), message.key(), true);
      return new Entry(
          Status.ACCEPTED,
          d.bucket(),
          d.key(),
          d.sourceFile(),
          d.etag(),
          d.entity(),
          d.table(),
          d.size(),
          d.format(),
          null,
          null,
          null,
          receipts,
          null);
    } catch (RouterException e) {
      return new Entry(
          Status.REJECTED,
          message.bucket(),
          e.key(),
          IngestRouter.sourceFile(message.bucket(), e.key()),
          message.etag(),
          null,
          null,
          null,
          null,
          null,
          e.getClass().getName(),
          e.getMessage(),
          receipts,
          null);
    }
  }

  /** One line per rejected object for the alert, or null when nothing was rejected. */
  private static String rejections(String batchId, List<Entry> entries) {
    List<String> lines = new ArrayList<>();
    for (Entry e : entries) {
      if (e.status() == Status.REJECTED) {
        lines.add(
            (e.sourceFile() == null ? "(not an object event)" : e.sourceFile())
                + ": "
                + e.error().substring(e.error().lastIndexOf('.') + 1)
                + ": "
                + e.reason());
      }
    }
    return lines.isEmpty()
        ? null
        : "Batch "
            + batchId
            + " rejected "
            + lines.size()
            + " landed object(s), moved under rejected/ with the reason as tags:\n"
            + String.join("\n", lines);
  }

  private static String abbreviate(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
