package dev.lakehouse.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link LakehouseStack} per invocation, for the environment named by {@code
 * lakehouse:environment} (dev by default), in the account and region of the caller's credentials
 * (never hard-coded). cdk-nag's AwsSolutions pack checks every resource; an unsuppressed error
 * fails {@code cdk synth}.
 */
public final class LakehouseApp {
  private LakehouseApp() {}

  public static void main(String[] args) {
    App app = new App();
    try {
      build(app);
    } catch (Artifacts.MissingArtifact | IllegalArgumentException refused) {
      // `cdk deploy` shows what the app prints: one line that says what to do, not a stack trace.
      System.err.println("lakehouse: " + refused.getMessage());
      System.exit(1);
    }
    app.synth();
  }

  /**
   * CDK feature flags this app relies on, set unless the context already decides them (cdk.json
   * lists them too). Server access logs are delivered under a bucket policy, not the legacy
   * LogDeliveryWrite ACL, which would need ACLs enabled on the log bucket.
   */
  static final java.util.Map<String, Object> FEATURE_FLAGS =
      java.util.Map.of(
          "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
          "@aws-cdk/aws-s3:createDefaultLoggingPolicy", true,
          "@aws-cdk/aws-iam:minimizePolicies", true,
          "@aws-cdk/aws-lambda:recognizeLayerVersion", true,
          "@aws-cdk/aws-kms:aliasNameRef", true);

  /** Builds the stack into {@code app}, with the build outputs found under the repository root. */
  public static LakehouseStack build(App app) {
    LakehouseConfig config = LakehouseConfig.fromContext(app.getNode());
    Artifacts artifacts =
        Artifacts.resolve(
            Artifacts.findRepoRoot(
                app.getNode().tryGetContext(LakehouseConfig.PREFIX + "repoRoot")),
            config.strictArtifacts());
    return build(app, artifacts);
  }

  /** Builds the stack into {@code app} from the given artifacts (tests bring their own). */
  public static LakehouseStack build(App app, Artifacts artifacts) {
    FEATURE_FLAGS.forEach(
        (flag, value) -> {
          if (app.getNode().tryGetContext(flag) == null) {
            app.getNode().setContext(flag, value);
          }
        });
    LakehouseConfig config = LakehouseConfig.fromContext(app.getNode());
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    StackProps.Builder props =
        StackProps.builder()
            .description(
                "Serverless Apache Iceberg lakehouse ("
                    + config.environment()
                    + "): S3, Glue, Lambda, "
                    + "Step Functions, Athena")
            .terminationProtection(config.isProduction());
    if (account != null && region != null) {
      props.env(Environment.builder().account(account).region(region).build());
    }
    LakehouseStack stack =
        new LakehouseStack(
            app, "Lakehouse-" + config.environment(), props.build(), config, artifacts);
    Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
    return stack;
  }
}
