package dev.lakehouse.infra;

import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.core.sources.rest.RestSource;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * REST API sources (context {@code lakehouse:restSources}, none by default): per source, a
 * RestSource function with its own role, an EventBridge Scheduler schedule that invokes it with the
 * source's settings, and the API token's Secrets Manager secret (the one named by {@code
 * tokenSecretArn}, or a new one, encrypted with the stack key, whose value an operator sets after
 * deploying). The function lands JSON Lines objects under {@code landing/<table>/rest/<source>/},
 * where the landing bucket's "Object Created" rule starts the ingest pipeline as for any file; its
 * cursor is {@code state/rest/<source>.json} in the same bucket (see docs/sources.md).
 *
 * <p>Each role may: PutObject under its own landing prefix; read, list and write its own cursor
 * object (listing is limited to that key by an {@code s3:prefix} condition); GetSecretValue on its
 * own secret; use the stack key.
 */
public final class RestSourcesConstruct extends Construct {
  public static final String CONTEXT_KEY = LakehouseConfig.PREFIX + "restSources";
  static final String DEFAULT_SCHEDULE = "rate(1 hour)";
  private static final Set<String> DEPLOY_KEYS = Set.of("schedule", "enabled", "tokenSecretArn");

  /**
   * One configured source: its payload (what the schedule sends the function), its schedule
   * expression, whether the schedule is enabled, and an existing secret's ARN (null: the construct
   * creates the secret).
   */
  public record SourceConfig(
      RestSource source,
      Map<String, Object> payload,
      String schedule,
      boolean enabled,
      String tokenSecretArn) {}

  /** What was created for one source. */
  public record Deployed(
      RestSource source, Function function, Role role, ISecret secret, Schedule schedule) {}

  private final Map<String, Deployed> deployed = new LinkedHashMap<>();
  private final software.amazon.awscdk.services.s3.IBucket landing;
  private final Role schedulerRole;

  public RestSourcesConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      Path functionsPackage,
      List<SourceConfig> sources) {
    super(scope, id);
    this.landing = storage.landingBucket();
    Code code = Code.fromAsset(functionsPackage.toString());
    LakehouseFunction fn = LakehouseFunction.REST_SOURCE;
    this.schedulerRole =
        schedulerRole(this, "EventBridge Scheduler: invokes the REST source functions");
    for (SourceConfig sc : sources) {
      RestSource source = sc.source();
      String cid = camel(source.name());
      Role role =
          Role.Builder.create(this, cid + "Role")
              .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
              .description(
                  "Lakehouse REST source "
                      + source.name()
                      + ": its landing prefix, its cursor, its secret")
              .build();
      LogGroup logs =
          LogGroup.Builder.create(this, cid + "Logs")
              .encryptionKey(storage.key())
              .retention(config.logRetention())
              .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
              .build();
      logs.grantWrite(role);
      ISecret secret =
          sc.tokenSecretArn() != null
              ? Secret.fromSecretCompleteArn(this, cid + "Token", sc.tokenSecretArn())
              : Secret.Builder.create(this, cid + "Token")
                  .secretName(config.namePrefix() + "/rest/" + source.name() + "/token")
                  .description(
                      "Bearer token of REST source "
                          + source.name()
                          + ": set its value after deploying")
                  .encryptionKey(storage.key())
                  .removalPolicy(config.statefulRemovalPolicy())
                  .build();
      statements(storage, source, secret).forEach(role::addToPolicy);

      Map<String, String> env = new LinkedHashMap<>();
      env.put("LANDING_BUCKET", storage.landingBucket().getBucketName());
      env.put("API_TOKEN_SECRET_ARN", secret.getSecretArn());
      env.put("POWERTOOLS_SERVICE_NAME", fn.nameSuffix());
      env.put("POWERTOOLS_METRICS_NAMESPACE", "Lakehouse");
      env.put("POWERTOOLS_LOG_LEVEL", config.powertoolsLogLevel());
      env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
      Function function =
          Function.Builder.create(this, cid + "Function")
              .functionName(config.namePrefix() + "-" + fn.nameSuffix() + "-" + source.name())
              .description(
                  fn.description() + " (" + source.name() + " into " + source.table().label() + ")")
              .runtime(FunctionsConstruct.RUNTIME)
              .architecture(Architecture.X86_64)
              .handler(fn.handler())
              .code(code)
              .memorySize(1024)
              // A run is bounded by maxPages; 15 minutes is Lambda's ceiling and leaves room for
              // the retries' waits.
              .timeout(Duration.minutes(15))
              // One run per source at a time: two would fetch the same cursor's page.
              .reservedConcurrentExecutions(config.reservedConcurrency() ? 1 : null)
              .role(role)
              .environment(env)
              .environmentEncryption(storage.key())
              .tracing(Tracing.ACTIVE)
              .logGroup(logs)
              .loggingFormat(LoggingFormat.JSON)
              .build();
      Schedule schedule =
          Schedule.Builder.create(this, cid + "Schedule")
              .scheduleName(config.namePrefix() + "-rest-" + source.name())
              .description(
                  "Pulls REST source "
                      + source.name()
                      + " into landing/"
                      + source.table().label()
                      + "/")
              .schedule(
                  ScheduleExpression.expression(
                      sc.schedule(), TimeZone.of(config.scheduleTimezone())))
              .enabled(sc.enabled())
              .target(
                  LambdaInvoke.Builder.create(function)
                      .role(schedulerRole)
                      .input(ScheduleTargetInput.fromObject(sc.payload()))
                      // A failed run is not retried by the scheduler: the next scheduled run
                      // continues from the cursor.
                      .retryAttempts(0)
                      .build())
              .build();
      deployed.put(source.name(), new Deployed(source, function, role, secret, schedule));
    }
  }

  /** A role EventBridge Scheduler of this account assumes to start a source's run. */
  static Role schedulerRole(Construct scope, String description) {
    return Role.Builder.create(scope, "SchedulerRole")
        .assumedBy(
            ServicePrincipal.Builder.create("scheduler.amazonaws.com")
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build())
        .description(description)
        .build();
  }

  /** The source's landing prefix (PutObject), its cursor object, its secret, the stack key. */
  static List<PolicyStatement> statements(
      StorageConstruct storage, RestSource source, ISecret secret) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(
        Access.s3Objects(
            storage.landingBucket(), List.of("s3:PutObject"), List.of(source.landingPrefix())));
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:GetObject", "s3:PutObject"))
            .resources(List.of(storage.landingBucket().arnForObjects(source.stateKey())))
            .build());
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(storage.landingBucket().getBucketArn()))
            .conditions(Map.of("StringEquals", Map.of("s3:prefix", source.stateKey())))
            .build());
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("secretsmanager:GetSecretValue"))
            .resources(List.of(secret.getSecretArn()))
            .build());
    s.add(Access.kms(storage.key(), Access.KMS_WRITE));
    return s;
  }

  /**
   * The sources of {@code lakehouse:restSources}: a JSON array (cdk.json) or its text ({@code -c}),
   * each entry the function's payload ({@link RestSource#fromPayload}; {@code source} is the name)
   * plus {@code schedule} (default {@value #DEFAULT_SCHEDULE}), {@code enabled} (default true) and
   * {@code tokenSecretArn}. Empty when unset.
   */
  public static List<SourceConfig> fromContext(Node node) {
    List<Map<String, Object>> entries = LakehouseConfig.jsonList(node, CONTEXT_KEY);
    List<SourceConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map<String, Object> entry : entries) {
      Map<String, Object> payload = new LinkedHashMap<>(entry);
      DEPLOY_KEYS.forEach(payload::remove);
      RestSource source;
      try {
        source = RestSource.fromPayload(payload);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(CONTEXT_KEY + ": " + e.getMessage(), e);
      }
      if (!names.add(source.name())) {
        throw new IllegalArgumentException(
            CONTEXT_KEY + ": source '" + source.name() + "' is configured twice");
      }
      Object schedule = entry.get("schedule");
      Object enabled = entry.get("enabled");
      Object secret = entry.get("tokenSecretArn");
      out.add(
          new SourceConfig(
              source,
              payload,
              schedule == null ? DEFAULT_SCHEDULE : schedule.toString(),
              enabled == null || Boolean.parseBoolean(enabled.toString()),
              secret == null ? null : secret.toString()));
    }
    return out;
  }

  /**
   * cdk-nag findings that are by design: the landing prefix needs a trailing {@code *}; X-Ray has
   * no resource-level permissions; the runtime is pinned as for the other functions; a third party
   * issues the API token, so no Lambda of ours can rotate it.
   */
  void suppressNagFindings(software.amazon.awscdk.Stack stack) {
    // LambdaInvoke grants the function and its versions (ARN:*); the schedules invoke the
    // unqualified function.
    NagSuppressions.addResourceSuppressions(
        schedulerRole.getNode().findChild("DefaultPolicy").getNode().findChild("Resource"),
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(
                    "lambda:InvokeFunction on the REST source functions and their versions (the ARN:* form the "
                        + "scheduler target grants); no other function is named.")
                .appliesTo(
                    deployed.values().stream()
                        .map(
                            d ->
                                (Object)
                                    ("Resource::<"
                                        + stack.resolve(
                                            stack.getLogicalId(
                                                (software.amazon.awscdk.CfnElement)
                                                    d.function().getNode().getDefaultChild()))
                                        + ".Arn>:*"))
                        .toList())
                .build()));
    deployed.forEach(
        (name, d) -> {
          RestSource source = d.source();
          NagSuppressions.addResourceSuppressions(
              d.role().getNode().findChild("DefaultPolicy").getNode().findChild("Resource"),
              List.of(
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(
                          "PutObject only under this source's own landing prefix, where each page lands as an object "
                              + "named by its request and content; an object ARN needs a trailing * to name a prefix.")
                      .appliesTo(
                          new ArrayList<>(
                              NagSuppressionsForLakehouse.objects(
                                  stack, landing, List.of(source.landingPrefix()))))
                      .build(),
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(NagSuppressionsForLakehouse.XRAY_REASON)
                      .appliesTo(List.of("Resource::*"))
                      .build()));
          NagSuppressions.addResourceSuppressions(
              d.function(),
              List.of(
                  NagPackSuppression.builder()
                      .id("AwsSolutions-L1")
                      .reason(
                          "Pinned to java21 like the other functions of the functions module, built and tested for it; a "
                              + "newer Java runtime is a deliberate upgrade of that module.")
                      .build()));
          if (d.secret() instanceof Secret created) {
            NagSuppressions.addResourceSuppressions(
                created,
                List.of(
                    NagPackSuppression.builder()
                        .id("AwsSolutions-SMG4")
                        .reason(
                            "The secret holds a bearer token issued by a third-party API: only that API can issue a new one, "
                                + "so there is no rotation function to attach; the operator replaces the value when the API does.")
                        .build()));
          }
        });
  }

  public Map<String, Deployed> deployed() {
    return Map.copyOf(deployed);
  }

  /** {@code crm-v2} → {@code CrmV2}: a construct id. */
  static String camel(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.split("[-_]")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }
}
