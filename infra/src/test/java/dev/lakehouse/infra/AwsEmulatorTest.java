package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The deployed code with the deployed permissions, against an AWS API emulator with IAM enforcement
 * on: moto_server on loopback, the buckets, key and Glue database the stack declares, and one IAM
 * user per function whose policies are the very statements synthesized for that function's role
 * (read from the template, resources resolved to the emulated ones, nothing restated). Each handler
 * runs from the real deployment package, unpacked and on the class path as the Java runtime lays it
 * out, in a JVM of its own with its user's keys, configured by the environment variables the stack
 * sets, through the Glue catalog code path.
 *
 * <p>moto enforces IAM on S3 actions and object/bucket ARNs, and on Glue and KMS actions (it checks
 * those against "*", so their resource ARNs are covered by {@link IamTest} instead): a missing
 * action fails here as it would on AWS. It does not model KMS authorization on SSE-KMS objects, nor
 * S3's 403-instead-of-404 without s3:ListBucket (the template tests cover those grants). moto 5.2.1
 * under IAM enforcement rejects the SigV4 signature of every S3 key holding '=' or '+', which
 * Iceberg's partitioned data files do ({@code started_at_month=2026-12/}), and authorizes
 * DeleteObjects against the bucket's ARN instead of each object's; the server is started through
 * {@code emulator/moto_server_s3_keys.py}, which does both as AWS does. Needs {@code moto_server}
 * (pip install "moto[server]"); without it the tests are skipped and say so.
 */
@org.junit.jupiter.api.Tag("tool")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsEmulatorTest {
  // moto's account; the region the template's <AWS::Region> resolves to.
  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  static final String LANDING = "landing";
  static final String WAREHOUSE = "warehouse";
  static final String ORDER =
      "{\"order_id\":\"ORD-0000001\",\"customer_id\":\"CUST-000018\",\"order_status\":\"delivered\","
          + "\"order_date\":\"2026-09-19T12:19:49\",\"items\":[{\"product_id\":\"PROD-00020\",\"quantity\":3,"
          + "\"unit_price\":193.30,\"discount\":0.15}],\"total_amount\":532.35}\n";

  static Process moto;
  static String endpoint;
  static AwsBasicCredentials admin;
  static String keyArn;

  /**
   * The unpacked deployment package as the Java runtime puts it on the classpath: the task root and
   * lib/*.
   */
  static String lambdaClasspath;

  static TestStacks.Synthesized stack;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void startEmulator() throws Exception {
    Assumptions.assumeTrue(
        CfnLintTest.onPath("moto_server"),
        "moto_server is not installed: the AWS emulator tests are skipped");
    Path functionsPackage = TestStacks.infraDir().getParent().resolve(Artifacts.FUNCTIONS_PACKAGE);
    Assumptions.assumeTrue(
        Files.isRegularFile(functionsPackage) && Files.size(functionsPackage) > 1 << 20,
        "the Lambda package is not built (mvn -B package -DskipTests -pl functions -am): the AWS emulator tests are skipped");
    lambdaClasspath =
        LambdaPackageTest.unpack(
            functionsPackage, TestStacks.infraDir().resolve("target/lambda-task"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    Path log = TestStacks.infraDir().resolve("target/moto_server.log");
    // moto_server itself, launched through a shim that fixes its SigV4 check of S3 keys holding '='
    // or '+' (the
    // shim says why); every other behaviour is moto's own.
    Path shim = TestStacks.infraDir().resolve("src/test/resources/emulator/moto_server_s3_keys.py");
    ProcessBuilder pb =
        new ProcessBuilder(
                "python3", shim.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Requests are free until this many were made; from then on every request needs an IAM user's
    // keys and is
    // checked against that user's policies. The three free ones create the administrator.
    pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "3");
    moto = pb.start();
    awaitAnswer();

    try (IamClient iam = iam(AwsBasicCredentials.create("bootstrap", "bootstrap"))) {
      iam.createUser(b -> b.userName("administrator"));
      iam.putUserPolicy(
          b ->
              b.userName("administrator")
                  .policyName("all")
                  .policyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
      AccessKey key = iam.createAccessKey(b -> b.userName("administrator")).accessKey();
      admin = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }
    // What the stack creates before any function runs: buckets, key, database.
    try (S3Client s3 = s3(admin);
        KmsClient kms = client(KmsClient.builder(), admin);
        GlueClient glue = client(GlueClient.builder(), admin)) {
      s3.createBucket(b -> b.bucket(LANDING));
      s3.createBucket(b -> b.bucket(WAREHOUSE));
      keyArn = kms.createKey(b -> b.description("lakehouse")).keyMetadata().arn();
      glue.createDatabase(
          b ->
              b.databaseInput(
                  d -> d.name(LakehouseTables.NAMESPACE).locationUri("s3://" + WAREHOUSE + "/")));
    }
    stack = TestStacks.dev();
  }

  @AfterAll
  static void stopEmulator() {
    if (moto != null) {
      moto.destroy();
    }
  }

  @Test
  @Order(1)
  void tableAdminCreatesEveryDeclaredTableInTheGlueCatalog() throws Exception {
    JsonNode answer =
        invoke(
            "TableAdminHandler",
            Map.of("operation", "createTables"),
            user("table-admin", "FunctionsTableAdminRole", action -> true));
    assertThat(answer.has("result")).as(answer.toString()).isTrue();

    try (GlueClient glue = client(GlueClient.builder(), admin)) {
      List<String> tables =
          glue.getTables(b -> b.databaseName(LakehouseTables.NAMESPACE)).tableList().stream()
              .map(t -> t.name())
              .sorted()
              .toList();
      assertThat(tables)
          .isEqualTo(LakehouseTables.all().stream().map(TableDefinition::name).sorted().toList());
    }
  }

  @Test
  @Order(3)
  void routerRoutesAGoodObjectReadingTheRunLogThroughGlue() throws Exception {
    put("landing/orders/2026/11/orders-1.jsonl", ORDER);
    JsonNode answer =
        invoke(
            "IngestRouterHandler",
            Map.of("bucket", LANDING, "key", "landing/orders/2026/11/orders-1.jsonl"),
            router());
    assertThat(answer.path("result").path("entity").asText())
        .as(answer.toString())
        .isEqualTo("orders");
    assertThat(answer.path("result").path("alreadyIngested").asBoolean()).isFalse();
  }

  @Test
  @Order(4)
  void routerMovesARejectedObjectWithItsReasonAndReportsAMissingOne() throws Exception {
    put("landing/orders/empty.jsonl", "");
    JsonNode rejected =
        invoke(
            "IngestRouterHandler",
            Map.of("bucket", LANDING, "key", "landing/orders/empty.jsonl"),
            router());
    assertThat(rejected.path("errorType").asText())
        .as(rejected.toString())
        .isEqualTo("dev.lakehouse.core.ingest.EmptyObject");
    assertThat(exists("landing/orders/empty.jsonl")).as("moved out of landing/").isFalse();
    assertThat(tags("rejected/landing/orders/empty.jsonl"))
        .containsExactly("reject-reason=EmptyObject");

    JsonNode missing =
        invoke(
            "IngestRouterHandler",
            Map.of("bucket", LANDING, "key", "landing/orders/gone.jsonl"),
            router());
    assertThat(missing.path("errorType").asText())
        .as(missing.toString())
        .isEqualTo("dev.lakehouse.core.ingest.ObjectNotFound");
  }

  /**
   * The test has teeth: the router's grants without s3:DeleteObject (as before the fix) cannot move
   * a reject.
   */
  @Test
  @Order(5)
  void aMissingPermissionFailsTheMove() throws Exception {
    put("landing/orders/empty-2.jsonl", "");
    JsonNode answer =
        invoke(
            "IngestRouterHandler",
            Map.of("bucket", LANDING, "key", "landing/orders/empty-2.jsonl"),
            user(
                "router-without-delete",
                "FunctionsIngestRouterRole",
                action -> !action.equals("s3:DeleteObject")));
    assertThat(answer.path("errorType").asText())
        .as(answer.toString())
        .isEqualTo("software.amazon.awssdk.services.s3.model.AccessDeniedException");
    assertThat(answer.path("errorMessage").asText()).contains("Access Denied");
    assertThat(exists("landing/orders/empty-2.jsonl")).as("still in landing/").isTrue();
  }

  /**
   * A batch on AWS's APIs: S3 events queued in SQS, the router Lambda (with its synthesized grants)
   * claims them — asking Step Functions whether an earlier execution runs, leasing the messages,
   * routing each object, writing the manifest — the run recorder records the batch from the
   * manifest, and the ack deletes the messages.
   */
  @Test
  @Order(8)
  void aBatchIsClaimedFromSqsRecordedAndAcknowledged() throws Exception {
    put("landing/orders/batch/a.jsonl", ORDER);
    put("landing/invoices/b.jsonl", "{}\n");
    String machineArn;
    String queueUrl;
    try (SqsClient sqs = client(SqsClient.builder(), admin);
        SfnClient sfn = client(SfnClient.builder(), admin)) {
      queueUrl = sqs.createQueue(b -> b.queueName("lakehouse-dev-ingest")).queueUrl();
      for (String key : List.of("landing/orders/batch/a.jsonl", "landing/invoices/b.jsonl")) {
        sqs.sendMessage(
            b ->
                b.queueUrl(queueUrl)
                    .messageBody(
                        "{\"detail-type\":\"Object Created\",\"detail\":"
                            + "{\"bucket\":{\"name\":\""
                            + LANDING
                            + "\"},\"object\":{\"key\":\""
                            + key
                            + "\"}}}"));
      }
      machineArn =
          sfn.createStateMachine(
                  b ->
                      b.name(
                              (String)
                                  ((Map<?, ?>)
                                          stack
                                              .only(
                                                  "AWS::StepFunctions::StateMachine",
                                                  "OrchestrationIngestPipeline")
                                              .get("Properties"))
                                      .get("StateMachineName"))
                          .roleArn("arn:aws:iam::" + ACCOUNT + ":role/states")
                          .definition(
                              "{\"StartAt\":\"Done\",\"States\":"
                                  + "{\"Done\":{\"Type\":\"Succeed\"}}}"))
              .stateMachineArn();
    }
    Map<String, String> batchEnv =
        Map.of(
            BatchSettings.ENV_QUEUE_URL,
            queueUrl,
            "LANDING_BUCKET",
            LANDING,
            BatchSettings.ENV_MAX_OBJECTS,
            "10",
            "AWS_ENDPOINT_URL_SQS",
            endpoint,
            "AWS_ENDPOINT_URL_SFN",
            endpoint);
    String execution = machineArn.replace(":stateMachine:", ":execution:") + ":batch-1";

    JsonNode claim =
        invoke(
            "IngestRouterHandler",
            Map.of(
                "operation",
                "claim",
                "stateMachineArn",
                machineArn,
                "executionArn",
                execution,
                "executionName",
                "batch-1",
                "startTime",
                "2026-12-01T10:00:00Z",
                "afterWait",
                true),
            router(),
            batchEnv);

    JsonNode batch = claim.path("result");
    assertThat(batch.path("status").asText()).as(claim.toString()).isEqualTo("ready");
    assertThat(batch.path("manifest").asText()).isEqualTo("s3://landing/batches/batch-1.json");
    assertThat(List.of(batch.path("accepted").asLong(), batch.path("rejected").asLong()))
        .containsExactly(1L, 1L);
    assertThat(batch.path("orders").asBoolean()).isTrue();
    assertThat(batch.path("more").asBoolean()).as("the queue is drained").isFalse();
    // A further pass, as the state machine asks after bronze: the queue is empty, nothing more.
    JsonNode more =
        invoke(
                "IngestRouterHandler",
                Map.of(
                    "operation",
                    "claimMore",
                    "manifest",
                    batch.path("manifest").asText(),
                    "pass",
                    1),
                router(),
                batchEnv)
            .path("result");
    assertThat(
            List.of(
                more.path("pass").asLong(),
                more.path("accepted").asLong(),
                more.path("acceptedTotal").asLong()))
        .as(more.toString())
        .containsExactly(1L, 0L, 1L);
    assertThat(more.path("more").asBoolean()).isFalse();
    assertThat(tags("rejected/landing/invoices/b.jsonl"))
        .containsExactly("reject-reason=UnknownTable");

    JsonNode recorded =
        invoke(
            "RunRecorderHandler",
            Map.of(
                "operation",
                "recordBatch",
                "executionId",
                execution,
                "manifest",
                batch.path("manifest").asText()),
            user("recorder-batch", "FunctionsRunRecorderRole", a -> true));
    assertThat(recorded.path("result").path("recorded").asInt())
        .as(recorded.toString())
        .isEqualTo(2);

    JsonNode acked =
        invoke(
            "IngestRouterHandler",
            Map.of("operation", "ack", "manifest", batch.path("manifest").asText()),
            router(),
            batchEnv);
    assertThat(acked.path("result").path("deleted").asInt()).as(acked.toString()).isEqualTo(2);
    try (SqsClient sqs = client(SqsClient.builder(), admin)) {
      Map<String, String> attributes =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(queueUrl)
                          .attributeNamesWithStrings(
                              "ApproximateNumberOfMessages",
                              "ApproximateNumberOfMessagesNotVisible"))
              .attributesAsStrings();
      assertThat(attributes)
          .containsEntry("ApproximateNumberOfMessages", "0")
          .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }
  }

  /**
   * The run recorder appends to pipeline_runs (partitioned: its data keys hold '='), the table
   * admin reads the snapshots back, and maintenance expires one, rewrites the manifests and lists
   * the table for orphans: every commit through the Glue catalog, every file through S3FileIO, each
   * with its own role's grants.
   */
  @Test
  @Order(6)
  void runRecorderAndMaintenanceCommitThroughGlue() throws Exception {
    AwsBasicCredentials recorder = user("run-recorder", "FunctionsRunRecorderRole", action -> true);
    for (String execution : List.of("emulated-1", "emulated-2")) {
      JsonNode recorded =
          invoke(
              "RunRecorderHandler",
              Map.of(
                  "executionId",
                  execution,
                  "step",
                  "bronze",
                  "table",
                  "raw_orders",
                  "rowsWritten",
                  1,
                  "startedAt",
                  "2026-12-01T05:00:00Z",
                  "finishedAt",
                  "2026-12-01T05:01:00Z"),
              recorder);
      assertThat(recorded.path("result").path("status").asText())
          .as(recorded.toString())
          .isEqualTo("SUCCEEDED");
    }
    AwsBasicCredentials tableAdmin =
        user("table-admin-reader", "FunctionsTableAdminRole", action -> true);
    JsonNode snapshots =
        invoke(
                "TableAdminHandler",
                Map.of("operation", "snapshots", "table", "pipeline_runs"),
                tableAdmin)
            .path("result")
            .path("snapshots");
    assertThat(snapshots).as(snapshots.toString()).hasSize(2);
    assertThat(snapshots.get(1).path("summary").path("total-records").asText()).isEqualTo("2");
    // Reading the data back (Parquet through S3FileIO) as of the first commit.
    JsonNode firstCommit =
        invoke(
                "TableAdminHandler",
                Map.of(
                    "operation",
                    "timeTravel",
                    "table",
                    "pipeline_runs",
                    "snapshotId",
                    snapshots.get(0).path("snapshotId").asLong()),
                tableAdmin)
            .path("result");
    assertThat(firstCommit.path("rowCount").asLong()).as(firstCommit.toString()).isEqualTo(1);
    assertThat(firstCommit.path("rows").get(0).path("execution_id").asText())
        .isEqualTo("emulated-1");
    assertThat(firstCommit.path("rows").get(0).path("rows_written").asLong()).isEqualTo(1);

    String location;
    try (GlueClient glue = client(GlueClient.builder(), admin)) {
      location =
          glue.getTable(b -> b.databaseName(LakehouseTables.NAMESPACE).name("pipeline_runs"))
              .table()
              .storageDescriptor()
              .location();
    }
    String orphan =
        location.substring(("s3://" + WAREHOUSE + "/").length())
            + "/data/left-by-a-killed-writer.parquet";
    try (S3Client s3 = s3(admin)) {
      s3.putObject(b -> b.bucket(WAREHOUSE).key(orphan), RequestBody.fromString("not referenced"));
    }

    AwsBasicCredentials maintenance =
        user("maintenance", "FunctionsMaintenanceRole", action -> true);
    JsonNode expired =
        invoke(
                "MaintenanceHandler",
                Map.of(
                    "operation",
                    "expireSnapshots",
                    "table",
                    "pipeline_runs",
                    "olderThanDays",
                    0,
                    "retainLast",
                    1),
                maintenance)
            .path("result");
    assertThat(expired.path("expiredSnapshots").asInt()).as(expired.toString()).isEqualTo(1);
    assertThat(expired.path("snapshotsAfter").asInt()).isEqualTo(1);
    // The expired snapshot's manifest list, deleted in one DeleteObjects request with the role's
    // per-object grant.
    assertThat(expired.path("deletedManifestLists").asInt()).as(expired.toString()).isEqualTo(1);
    JsonNode rewritten =
        invoke(
                "MaintenanceHandler",
                Map.of("operation", "rewriteManifests", "table", "pipeline_runs"),
                maintenance)
            .path("result");
    assertThat(rewritten.path("manifestsBefore").asInt()).as(rewritten.toString()).isEqualTo(2);
    assertThat(rewritten.path("manifestsAfter").asInt()).isEqualTo(1);
    // Orphan removal lists the table's whole prefix; the planted file is unreferenced but younger
    // than the one-day
    // floor (S3 stamps it now, and a running job may still be writing such files), so it is
    // counted, not deleted.
    JsonNode orphans =
        invoke(
                "MaintenanceHandler",
                Map.of(
                    "operation", "removeOrphanFiles", "table", "pipeline_runs", "olderThanDays", 1),
                maintenance)
            .path("result");
    assertThat(orphans.path("youngFiles").asInt())
        .as(
            orphans
                + "\nexpiry: "
                + expired
                + "\nunder the table: "
                + keys(WAREHOUSE, location.substring(("s3://" + WAREHOUSE + "/").length())))
        .isEqualTo(1);
    assertThat(orphans.path("orphanFiles").asInt()).isZero();
    assertThat(orphans.path("continueAfter").asText()).isEmpty();
  }

  /**
   * Bronze, silver and gold run from the Glue job jar on Spark's own class path (the provided
   * scope: Spark, Scala, Hadoop) and nothing else, through the Glue catalog and S3FileIO, each job
   * family with its role's grants. Glue reads {@code s3://} through EMRFS; here the landed object
   * is fetched with the bronze role's keys and handed over as a file, as the local stack does.
   */
  @Test
  @Order(7)
  void bronzeSilverAndGoldRunFromTheJobJarThroughGlue() throws Exception {
    Path root = TestStacks.infraDir().getParent();
    Path jobJar = root.resolve(Artifacts.GLUE_JOBS_JAR);
    Path platform = root.resolve(SPARK_PLATFORM_CLASSPATH);
    Assumptions.assumeTrue(
        Files.isRegularFile(platform) && Files.size(jobJar) > 1 << 20,
        "the Glue job jar is not built (mvn -B package -DskipTests -pl glue-jobs -am): the emulated job runs are skipped");
    String classpath = Files.readString(platform).trim() + java.io.File.pathSeparator + jobJar;

    put("landing/customers/2026/09/customers-1.jsonl", CUSTOMER);
    put("landing/products/2026/09/products-1.jsonl", PRODUCT);
    AwsBasicCredentials bronze = user("bronze-job", "JobsBronzeJobRole", action -> true);
    for (String key :
        List.of(
            "landing/customers/2026/09/customers-1.jsonl",
            "landing/products/2026/09/products-1.jsonl",
            "landing/orders/2026/11/orders-1.jsonl")) {
      Path object = TestStacks.infraDir().resolve("target/emulated-landing").resolve(key);
      Files.createDirectories(object.getParent());
      Files.deleteIfExists(object);
      String etag;
      try (S3Client s3 = s3(bronze)) {
        etag = s3.getObject(b -> b.bucket(LANDING).key(key), object).eTag();
      }
      JsonNode result =
          runJob(
              classpath,
              "BronzeJob",
              bronze,
              "--bucket",
              LANDING,
              "--key",
              key,
              "--etag",
              etag,
              "--source-path",
              object.toString(),
              "--execution-id",
              "emulated-bronze");
      assertThat(result.path("rowsWritten").asLong()).as(result.toString()).isEqualTo(1);
    }
    AwsBasicCredentials silver = user("silver-job", "JobsSilverJobRole", action -> true);
    for (String job : List.of("SilverCustomersJob", "SilverProductsJob", "SilverOrdersJob")) {
      JsonNode result = runJob(classpath, job, silver, "--execution-id", "emulated-silver");
      assertThat(result.path("rowsWritten").asLong()).as(result.toString()).isEqualTo(1);
    }
    JsonNode gold =
        runJob(
            classpath,
            "GoldJob",
            user("gold-job", "JobsGoldJobRole", action -> true),
            "--execution-id",
            "emulated-gold");
    assertThat(gold.path("status").asText()).as(gold.toString()).isEqualTo("SUCCEEDED");

    JsonNode metrics =
        invoke(
                "TableAdminHandler",
                Map.of("operation", "timeTravel", "table", "agg_daily_metrics", "limit", 100),
                user("gold-reader", "FunctionsTableAdminRole", action -> true))
            .path("result");
    // One delivered order on 2026-09-19: 3 x 193.30 less 15% = 492.92 of Electronics; 532.35 with
    // 8% tax (free
    // shipping above the threshold); the customer's lifetime value puts them in the low segment.
    List<String> rows = new ArrayList<>();
    metrics
        .path("rows")
        .forEach(
            r ->
                rows.add(
                    String.join(
                        " ",
                        r.path("metric_date").asText(),
                        r.path("metric_type").asText(),
                        r.path("dimension_value").asText(),
                        r.path("metric_value").asText(),
                        r.path("metric_count").asText(),
                        r.path("_execution_id").asText())));
    assertThat(rows)
        .as(metrics.toString())
        .containsExactlyInAnyOrder(
            "2026-09-19 category_revenue Electronics 492.92 1 emulated-gold",
            "2026-09-19 daily_revenue all 532.35 1 emulated-gold",
            "2026-09-19 segment_revenue low 532.35 1 emulated-gold");
  }

  static final String SPARK_PLATFORM_CLASSPATH = "glue-jobs/target/spark-platform.classpath";
  static final String CUSTOMER =
      "{\"customer_id\":\"CUST-000018\",\"email\":\"james.smith0@email.com\","
          + "\"first_name\":\"James\",\"last_name\":\"Smith\",\"phone\":\"+1-555-123-4567\",\"address\":{\"street\":"
          + "\"123 Main Street\",\"city\":\"New York\",\"state\":\"NY\",\"zip\":\"10001\",\"country\":\"USA\"},"
          + "\"created_at\":\"2026-03-04T05:06:07\",\"updated_at\":\"2026-09-01T20:25:00\",\"source_system\":\"web\"}\n";
  static final String PRODUCT =
      "{\"product_id\":\"PROD-00020\",\"sku\":\"SKU-ELE-0020\","
          + "\"name\":\"Electronics Phones Product 20\",\"description\":\"High quality electronics product\","
          + "\"category\":\"Electronics\",\"subcategory\":\"Phones\",\"price\":193.30,\"cost\":101.10,"
          + "\"stock_quantity\":17,\"attributes\":{\"color\":\"Black\"},"
          + "\"created_at\":\"2026-01-01T00:00:00\",\"updated_at\":\"2026-09-01T20:25:00\"}\n";

  /**
   * Runs one deployed job (main class and fixed arguments from {@link
   * dev.lakehouse.core.jobs.SparkJobs#all()}) in a JVM of its own on {@code classpath}, Spark
   * local[*], with the given keys; answers the job's printed result.
   */
  private static JsonNode runJob(
      String classpath, String specId, AwsBasicCredentials keys, String... args) throws Exception {
    dev.lakehouse.core.jobs.SparkJobs.JobSpec spec =
        dev.lakehouse.core.jobs.SparkJobs.all().stream()
            .filter(j -> j.id().equals(specId))
            .findFirst()
            .orElseThrow();
    Path root = TestStacks.infraDir().getParent();
    Path log =
        Files.createTempFile(TestStacks.infraDir().resolve("target"), "job-" + specId, ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + root.resolve("config/jvm.options"),
                "-Xmx1g",
                "-cp",
                classpath,
                spec.mainClass(),
                "--local",
                "--catalog",
                "glue",
                "--warehouse",
                "s3://" + WAREHOUSE + "/",
                "--s3-endpoint",
                endpoint,
                "--region",
                REGION));
    spec.arguments().forEach((k, v) -> command.addAll(List.of(k, v)));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
    env.put("AWS_REGION", REGION);
    env.put("LAKEHOUSE_GLUE_ENDPOINT", endpoint);
    env.put("LAKEHOUSE_STS_ENDPOINT", endpoint);
    Process process = pb.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as(specId + " printed no result; stderr:\n" + tail(log)).isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static AwsBasicCredentials routerKeys;

  private static AwsBasicCredentials router() {
    if (routerKeys == null) {
      routerKeys = user("router", "FunctionsIngestRouterRole", action -> true);
    }
    return routerKeys;
  }

  /**
   * An IAM user holding the synthesized statements of the role whose logical id starts with {@code
   * rolePrefix}, with the actions {@code keep} accepts; one inline policy per statement.
   */
  private static AwsBasicCredentials user(String name, String rolePrefix, Predicate<String> keep) {
    try (IamClient iam = iam(admin)) {
      iam.createUser(b -> b.userName(name));
      int n = 0;
      for (Cfn.Statement st : Cfn.statementsOfRole(stack, rolePrefix)) {
        List<String> actions = st.actions().stream().filter(keep).toList();
        if (actions.isEmpty()) {
          continue;
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", st.effect());
        statement.put("Action", actions);
        // moto checks S3 requests against the object or bucket ARN, but Glue and KMS requests
        // against "*" (its
        // Glue and KMS APIs name no resource): there the actions are enforced, and IamTest covers
        // the ARNs.
        boolean s3 = actions.stream().allMatch(a -> a.startsWith("s3:"));
        statement.put(
            "Resource",
            s3 ? st.resources().stream().map(AwsEmulatorTest::resolve).toList() : List.of("*"));
        if (st.condition() != null) {
          statement.put("Condition", st.condition());
        }
        String document =
            JSON.writeValueAsString(
                Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        String policy = "statement-" + (n++);
        iam.putUserPolicy(b -> b.userName(name).policyName(policy).policyDocument(document));
      }
      AccessKey key = iam.createAccessKey(b -> b.userName(name)).accessKey();
      return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A template resource rendered by {@link Cfn#render} as the emulated resource's ARN. */
  static String resolve(String resource) {
    String r =
        resource
            .replace("<AWS::Partition>", "aws")
            .replace("<AWS::Region>", REGION)
            .replace("<AWS::AccountId>", ACCOUNT);
    Matcher m = Pattern.compile("<([A-Za-z0-9]+)\\.Arn>").matcher(r);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String id = m.group(1);
      String arn =
          id.startsWith("StorageLandingBucket")
              ? "arn:aws:s3:::" + LANDING
              : id.startsWith("StorageWarehouseBucket")
                  ? "arn:aws:s3:::" + WAREHOUSE
                  : id.startsWith("StorageKey")
                      ? keyArn
                      // Not emulated (a function's own log group): an ARN that grants nothing here.
                      : "arn:aws:unemulated:::" + id;
      m.appendReplacement(out, Matcher.quoteReplacement(arn));
    }
    m.appendTail(out);
    assertThat(out.toString()).as(resource).doesNotContain("<");
    return out.toString();
  }

  /**
   * Runs a handler from the Lambda jar in its own JVM, configured as the stack configures the
   * function.
   */
  private static JsonNode invoke(
      String handler, Map<String, Object> event, AwsBasicCredentials keys) throws Exception {
    return invoke(handler, event, keys, Map.of());
  }

  private static JsonNode invoke(
      String handler,
      Map<String, Object> event,
      AwsBasicCredentials keys,
      Map<String, String> extraEnv)
      throws Exception {
    Path log =
        Files.createTempFile(TestStacks.infraDir().resolve("target"), "invoke-" + handler, ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                lambdaClasspath,
                "dev.lakehouse.functions.support.LocalInvoke",
                "dev.lakehouse.functions." + handler,
                JSON.writeValueAsString(event))
            .redirectError(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
    env.put("AWS_REGION", REGION);
    env.put("LAKEHOUSE_CATALOG", "glue");
    env.put("LAKEHOUSE_WAREHOUSE", "s3://" + WAREHOUSE + "/");
    env.put("LAKEHOUSE_S3_ENDPOINT", endpoint);
    env.put("LAKEHOUSE_S3_PATH_STYLE", "true");
    env.put("LAKEHOUSE_GLUE_ENDPOINT", endpoint);
    env.put("LAKEHOUSE_STS_ENDPOINT", endpoint);
    env.putAll(extraEnv);
    Process process = pb.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    List<String> lines =
        stdout
            .lines()
            .filter(l -> l.startsWith("{\"result\"") || l.startsWith("{\"errorType\""))
            .toList();
    assertThat(lines)
        .as(handler + " printed no answer; stderr:\n" + Files.readString(log))
        .isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static void put(String key, String body) {
    try (S3Client s3 = s3(admin)) {
      s3.putObject(b -> b.bucket(LANDING).key(key), RequestBody.fromString(body));
    }
  }

  private static List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = s3(admin)) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key() + " " + o.lastModified())
          .toList();
    }
  }

  private static boolean exists(String key) {
    try (S3Client s3 = s3(admin)) {
      s3.headObject(b -> b.bucket(LANDING).key(key));
      return true;
    } catch (NoSuchKeyException gone) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static List<String> tags(String key) {
    try (S3Client s3 = s3(admin)) {
      List<String> tags = new ArrayList<>();
      for (Tag t : s3.getObjectTagging(b -> b.bucket(LANDING).key(key)).tagSet()) {
        tags.add(t.key() + "=" + t.value());
      }
      return tags;
    }
  }

  private static S3Client s3(AwsBasicCredentials keys) {
    return client(S3Client.builder().forcePathStyle(true), keys);
  }

  private static IamClient iam(AwsBasicCredentials keys) {
    return IamClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.AWS_GLOBAL)
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(StaticCredentialsProvider.create(keys))
        .build();
  }

  private static <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
                  & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>,
          C>
      C client(B builder, AwsBasicCredentials keys) {
    return builder
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(REGION))
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(StaticCredentialsProvider.create(keys))
        .build();
  }

  private static void awaitAnswer() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertThat(moto.isAlive()).as("moto_server exited").isTrue();
      // A TCP connect, not a request: requests count toward INITIAL_NO_AUTH_ACTION_COUNT.
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.connect(
            new java.net.InetSocketAddress("127.0.0.1", URI.create(endpoint).getPort()), 500);
        return;
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("moto_server did not answer within 30 s");
  }
}
