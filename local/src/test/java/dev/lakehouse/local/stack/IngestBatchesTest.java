package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.ingest.batch.ExecutionsInProgress;
import dev.lakehouse.core.ingest.batch.IngestBatches;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.local.LakehouseHome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Claiming batches from the home's directory queue against the local S3 server: the window, one
 * batch at a time, the size limit, duplicate messages merged, rejects kept in the batch,
 * acknowledgement, lease expiry and the dead-letter folder.
 */
class IngestBatchesTest {
  static final String MACHINE = "arn:aws:states:local:000000000000:stateMachine:ingest-pipeline";
  static final String EXECUTION = "arn:aws:states:local:000000000000:execution:ingest-pipeline:";
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;
  LakehouseHome home;
  S3Client s3;

  /** The queue's clock, moved by hand. */
  AtomicLong nowMillis = new AtomicLong(T0.toEpochMilli());

  DirectoryIngestQueue queue;
  List<ExecutionsInProgress.Running> running = new ArrayList<>();
  IngestBatches batches;
  RunLog runLog;

  @BeforeEach
  void setUp() {
    home = LakehouseHome.open(dir.resolve("home"));
    s3 = LocalS3Servers.forHome(home, ProjectFiles.locate()).client();
    CatalogSettings settings = CatalogSettings.embedded(dir);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    runLog = new RunLog(catalog);
    queue = new DirectoryIngestQueue(dir.resolve("queue"), nowMillis::get);
    batches = batches(new BatchSettings(3, 30, 600, 1));
  }

  private IngestBatches batches(BatchSettings settings) {
    return new IngestBatches(
        queue,
        arn -> running,
        new IngestRouter(s3, () -> runLog, IngestRouter.Settings.defaults()),
        s3,
        LocalResources.LANDING_BUCKET,
        settings,
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    s3.close();
    LocalS3Servers.release(home);
  }

  @Test
  void claimsWaitForAFullBatchOrTheWindowYieldToAnEarlierExecutionAndMergeDuplicates() {
    assertThat(claim("e1", false).toMap()).containsEntry("status", "empty");
    drop("landing/orders/a.jsonl", "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"items\":[]}\n");
    drop("landing/customers/c.jsonl", "{\"customer_id\":\"c-1\",\"email\":\"a@example.com\"}\n");

    assertThat(claim("e1", false).toMap())
        .containsEntry("status", "wait")
        .containsEntry("waitSeconds", 30);
    running.add(new ExecutionsInProgress.Running(EXECUTION + "e0", T0.minusSeconds(5)));
    assertThat(claim("e1", false).toMap())
        .containsEntry("status", "busy")
        .containsEntry("busyWith", EXECUTION + "e0");
    running.clear();

    advance(Duration.ofSeconds(1));
    queue.send(event("landing/orders/a.jsonl")); // a duplicate delivery of the first object
    advance(Duration.ofSeconds(1));
    drop("landing/invoices/x.jsonl", "{}\n");

    IngestBatches.Claim first = claim("e1", false); // four waiting, a batch is three: no window
    assertThat(first.toMap())
        .containsEntry("status", "ready")
        .containsEntry("accepted", 2L)
        .containsEntry("rejected", 0L)
        .containsEntry("customers", true)
        .containsEntry("orders", true)
        .containsEntry("products", false)
        .containsEntry("manifest", "s3://landing/batches/e1.json");
    BatchManifest manifest = batches.read(first.manifest());
    assertThat(manifest.objects())
        .extracting(
            e -> e.status() + " " + e.sourceFile() + " " + e.table() + " " + e.receipts().size())
        .containsExactly(
            "ACCEPTED s3://landing/landing/orders/a.jsonl raw_orders 2",
            "ACCEPTED s3://landing/landing/customers/c.jsonl raw_customers 1");
    assertThat(manifest.executionId()).isEqualTo(EXECUTION + "e1");
    assertThat(queue.approximateSize()).isEqualTo(1);
    assertThat(queue.leasedCount()).isEqualTo(3);

    IngestBatches.Claim second = claim("e2", true);
    assertThat(second.toMap()).containsEntry("accepted", 0L).containsEntry("rejected", 1L);
    assertThat(second.rejections())
        .startsWith(
            "Batch e2 rejected 1 landed object(s), moved under rejected/ with the"
                + " reason as tags:\ns3://landing/landing/invoices/x.jsonl: UnknownTable: ");
    assertThat(s3.listObjectsV2(b -> b.bucket("landing").prefix("rejected/")).contents())
        .extracting(o -> o.key())
        .containsExactly("rejected/landing/invoices/x.jsonl");

    assertThat(batches.ack(first.manifest())).isEqualTo(3);
    assertThat(batches.ack(second.manifest())).isEqualTo(1);
    assertThat(queue.leasedCount() + queue.approximateSize()).isZero();
    batches.ack(second.manifest()); // a retried ack finds its messages gone: nothing happens
    assertThat(queue.leasedCount() + queue.approximateSize()).isZero();
  }

  @Test
  void aBatchDrainsABacklogInPassesEachLoadingOnlyItsOwnObjectsUpToItsLastPass() {
    IngestBatches draining = batches(new BatchSettings(2, 0, 600, 2));
    drop("landing/orders/a.jsonl", "{\"order_id\":\"o-1\"}\n");
    drop("landing/orders/b.jsonl", "{\"order_id\":\"o-2\"}\n");
    drop("landing/products/p.jsonl", "{\"product_id\":\"p-1\"}\n");
    queue.send(event("landing/orders/a.jsonl")); // a repeated event for an object pass 1 claims
    advance(Duration.ofSeconds(1));
    drop("landing/invoices/x.jsonl", "{}\n");
    drop("landing/orders/c.jsonl", "{\"order_id\":\"o-3\"}\n");

    IngestBatches.Claim first =
        draining.claim(
            new IngestBatches.ClaimRequest(
                MACHINE, EXECUTION + "d1", "d1", Instant.ofEpochMilli(nowMillis.get()), false));
    assertThat(first.toMap())
        .containsEntry("pass", 1)
        .containsEntry("accepted", 2L)
        .containsEntry("acceptedTotal", 2L)
        .containsEntry("more", true)
        .containsEntry("orders", true)
        .containsEntry("products", false);
    assertThat(draining.read(first.manifest()).toLoad())
        .extracting(BatchManifest.Entry::key)
        .containsExactly("landing/orders/a.jsonl", "landing/orders/b.jsonl");

    IngestBatches.Claim second = draining.claimMore(first.manifest(), 1);
    assertThat(second.toMap())
        .containsEntry("manifest", first.manifest())
        .containsEntry("pass", 2)
        .containsEntry("accepted", 1L)
        .containsEntry("skipped", 1L)
        .containsEntry("rejected", 0L)
        .containsEntry("acceptedTotal", 3L)
        .containsEntry("more", false) // two passes at most, though two objects still wait
        .containsEntry("products", true);
    BatchManifest manifest = draining.read(second.manifest());
    assertThat(manifest.objects())
        .extracting(e -> e.passNumber() + " " + e.status() + " " + e.key() + " " + e.ingestedBy())
        .containsExactly(
            "1 ACCEPTED landing/orders/a.jsonl null",
            "1 ACCEPTED landing/orders/b.jsonl null",
            "2 ACCEPTED landing/products/p.jsonl null",
            "2 SKIPPED landing/orders/a.jsonl " + EXECUTION + "d1");
    assertThat(manifest.toLoad())
        .extracting(BatchManifest.Entry::key)
        .containsExactly("landing/products/p.jsonl");
    assertThat(queue.leasedCount()).isEqualTo(4);

    // A retried claim answers the pass its first attempt wrote; past the last pass nothing is
    // leased.
    assertThat(draining.claimMore(first.manifest(), 1).toMap()).isEqualTo(second.toMap());
    assertThat(draining.claimMore(first.manifest(), 2).toMap())
        .containsEntry("pass", 2)
        .containsEntry("accepted", 0L)
        .containsEntry("acceptedTotal", 3L)
        .containsEntry("more", false);
    assertThat(queue.leasedCount()).isEqualTo(4);
    assertThat(queue.approximateSize()).isEqualTo(2);

    assertThat(draining.ack(second.manifest())).isEqualTo(4);
    assertThat(queue.leasedCount()).isZero();
    assertThat(queue.approximateSize()).as("left for the next batch").isEqualTo(2);
  }

  @Test
  void anUnacknowledgedMessageComesBackWhenItsLeaseEndsAndGoesToTheDeadLettersAfterFiveReceives() {
    drop("landing/orders/a.jsonl", "{}\n");
    for (int receive = 1; receive <= DirectoryIngestQueue.MAX_RECEIVES; receive++) {
      assertThat(queue.receive(10, Duration.ofMinutes(10)))
          .singleElement()
          .satisfies(m -> assertThat(m.key()).isEqualTo("landing/orders/a.jsonl"));
      assertThat(queue.approximateSize()).as("leased").isZero();
      advance(Duration.ofMinutes(10).plusSeconds(1));
    }
    assertThat(queue.approximateSize()).isZero();
    assertThat(queue.deadLetters()).hasSize(1);
  }

  private IngestBatches.Claim claim(String name, boolean afterWait) {
    return batches.claim(
        new IngestBatches.ClaimRequest(
            MACHINE, EXECUTION + name, name, Instant.ofEpochMilli(nowMillis.get()), afterWait));
  }

  private void advance(Duration by) {
    nowMillis.addAndGet(by.toMillis());
  }

  private void drop(String key, String content) {
    s3.putObject(
        b -> b.bucket(LocalResources.LANDING_BUCKET).key(key), RequestBody.fromString(content));
    queue.send(event(key));
    advance(Duration.ofSeconds(1));
  }

  private String event(String key) {
    var head = s3.headObject(b -> b.bucket(LocalResources.LANDING_BUCKET).key(key));
    return S3Events.objectCreated(
            LocalResources.LANDING_BUCKET, key, head.contentLength(), head.eTag().replace("\"", ""))
        .toString();
  }
}
