package dev.lakehouse.e2e;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A process that ingests one file through the local stack with its S3 traffic going through a proxy
 * that holds the first request matching a pattern: the process stops at exactly that point (say,
 * between writing a table's data files and writing the metadata that commits them) for a test to
 * kill it there.
 *
 * <p>Arguments: home, file, landing prefix, request-line pattern, marker file (written when held),
 * write log.
 */
public final class HeldIngest {
  /**
   * Exit code when the ingest ended without meeting the pattern: the kill point was never reached.
   */
  static final int NOT_HELD = 3;

  private HeldIngest() {}

  public static void main(String[] args) throws Exception {
    try (FaultyS3Proxy proxy = new FaultyS3Proxy();
        LocalStack stack =
            LocalStack.builder(LakehouseHome.open(Path.of(args[0])))
                .s3Route(proxy::route)
                .build()) {
      proxy.logWrites(Path.of(args[5]));
      proxy.holdWhen(Pattern.compile(args[3]), Path.of(args[4]));
      stack.ingest(stack.upload(Path.of(args[1]), args[2]));
    }
    System.exit(NOT_HELD);
  }
}
