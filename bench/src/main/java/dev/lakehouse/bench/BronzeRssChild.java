package dev.lakehouse.bench;

import java.nio.file.Path;

/**
 * Bronze of one orders file alone in its JVM, for its peak resident set: the JVM, Spark and the job
 * together, as a Glue worker would see them. Prints {@code VmHWM_KB=<n>}, the kernel's high-water
 * mark of its RSS.
 */
public final class BronzeRssChild {
  private BronzeRssChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BronzeRssChild HOME_DIR ORDERS_FILE");
      System.exit(2);
    }
    FileHome home = FileHome.create(Path.of(args[0]));
    home.bronze("orders", Path.of(args[1]));
    // Its own high-water mark at the end: exact, where the parent's sampling may miss the last 100
    // ms.
    System.out.println("VmHWM_KB=" + ChildJvm.vmHwmKb(Path.of("/proc/self/status")));
    System.exit(0);
  }
}
