package dev.lakehouse.core.ingest.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.ingest.BatchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one ingest batch holds, written by the claim and read by the bronze job, the run recorder
 * and the ack: every object its messages named, each with what routing decided (load it, skip it as
 * already ingested, or reject it), the receipts of the messages that named it, and the bronze pass
 * that claimed it. A batch that drains a backlog claims again after each bronze run ({@link
 * IngestBatches#claimMore}): each pass adds its objects to the same manifest, and bronze loads only
 * the last pass's. It lives in the landing bucket under {@link BatchSettings#MANIFEST_PREFIX}, so a
 * redrive of the batch's execution reads exactly the same batch: a pass is only added after the
 * previous one's bronze run succeeded, so a failed bronze run finds its own pass last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchManifest(
    String batchId, String executionId, String createdAt, List<Entry> objects) {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public enum Status {
    /** Routed and not yet loaded: the batch's bronze job appends it. */
    ACCEPTED,
    /** The same object (key and ETag) was loaded all the way by an earlier execution. */
    SKIPPED,
    /**
     * Refused by the router and moved under rejected/ (or gone, or not an S3 event): recorded, not
     * retried.
     */
    REJECTED
  }

  /**
   * One object of the batch; {@code error} and {@code reason} only for rejected ones; {@code pass}
   * absent for the first.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      Status status,
      String bucket,
      String key,
      String sourceFile,
      String etag,
      String entity,
      String table,
      Long size,
      String format,
      String ingestedBy,
      String error,
      String reason,
      List<String> receipts,
      Integer pass) {

    public boolean accepted() {
      return status == Status.ACCEPTED;
    }

    /** The bronze pass that claimed it, from 1. */
    public int passNumber() {
      return pass == null ? 1 : pass;
    }

    /** The same object, skipped: {@code by} (an execution) already loaded or claimed it. */
    public Entry skippedBy(String by) {
      return with(Status.SKIPPED, by, receipts, pass);
    }

    /** The same object, named by these messages. */
    public Entry withReceipts(List<String> messages) {
      return with(status, ingestedBy, List.copyOf(messages), pass);
    }

    /** The same object, claimed by the given pass (the first is left implicit). */
    public Entry inPass(int number) {
      return with(status, ingestedBy, receipts, number == 1 ? null : number);
    }

    private Entry with(Status newStatus, String by, List<String> messages, Integer newPass) {
      boolean rejected = newStatus == Status.REJECTED;
      return new Entry(
          newStatus,
          bucket,
          key,
          sourceFile,
          etag,
          entity,
          table,
          size,
          format,
          by,
          rejected ? error : null,
          rejected ? reason : null,
          messages,
          newPass);
    }
  }

  /** Where the manifest of a batch lives in the landing bucket. */
  public static String key(String batchId) {
    return BatchSettings.MANIFEST_PREFIX + batchId + ".json";
  }

  /** Every accepted object of every pass. */
  public List<Entry> accepted() {
    return objects.stream().filter(Entry::accepted).toList();
  }

  /** How many bronze passes claimed objects for this batch so far. */
  public int passes() {
    return objects.stream().mapToInt(Entry::passNumber).max().orElse(1);
  }

  /** The objects the given pass claimed. */
  public List<Entry> pass(int pass) {
    return objects.stream().filter(e -> e.passNumber() == pass).toList();
  }

  /**
   * What the batch's current bronze run loads: the accepted objects of its last pass (the earlier
   * passes' are in bronze already).
   */
  public List<Entry> toLoad() {
    int last = passes();
    return objects.stream().filter(e -> e.accepted() && e.passNumber() == last).toList();
  }

  public long count(Status status) {
    return objects.stream().filter(e -> e.status() == status).count();
  }

  /**
   * The entities (customers, products, orders) with at least one accepted object, in that order.
   */
  public Set<String> acceptedEntities() {
    Set<String> entities = new LinkedHashSet<>();
    for (String entity : List.of("customers", "products", "orders")) {
      if (objects.stream().anyMatch(e -> e.accepted() && entity.equals(e.entity()))) {
        entities.add(entity);
      }
    }
    return entities;
  }

  /**
   * Every receipt of every message the batch consumed, the rejected and skipped objects' included.
   */
  public List<String> receipts() {
    List<String> all = new ArrayList<>();
    objects.forEach(e -> all.addAll(e.receipts() == null ? List.of() : e.receipts()));
    return all;
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BatchManifest fromJson(String json) {
    try {
      return JSON.readValue(json, BatchManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a batch manifest: " + e.getMessage(), e);
    }
  }
}
