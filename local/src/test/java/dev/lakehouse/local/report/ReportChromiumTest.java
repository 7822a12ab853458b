package dev.lakehouse.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: Debian's {@code chromium}, headless, parses the file into the
 * DOM we wrote (five bars, the file name as text, no script element) and paints the failed state
 * red. Needs the {@code chromium} command (apt-get install chromium); without it the test is
 * skipped and says so.
 */
@Tag("tool")
class ReportChromiumTest {
  static final List<String> HEADLESS =
      List.of(
          "chromium",
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking");

  @TempDir Path dir;

  @Test
  void chromiumRendersTheBarsTheEscapedTextAndTheFailedStateInRed() throws Exception {
    Assumptions.assumeTrue(
        onPath("chromium"), "chromium is not installed: the report's rendering check is skipped");
    Path file = dir.resolve("report.html");
    Files.writeString(file, ReportHtml.render(ReportHtmlTest.sample()));
    String url = file.toUri().toString();

    String dom = chromium(List.of("--dump-dom", url));
    assertThat(Pattern.compile("<rect ").matcher(dom).results().count()).isEqualTo(5);
    assertThat(dom)
        .doesNotContain("<script")
        .contains("orders &lt;script&gt;alert(1)&lt;/script&gt;.jsonl")
        .contains("<h4 id=\"e1-t-raw_orders\">raw_orders</h4>");

    Path png = dir.resolve("report.png");
    chromium(List.of("--window-size=1100,700", "--screenshot=" + png, url));
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1100);
    // The failed bar's fill, #dc2626.
    assertThat(count(image, 0xdc2626)).as("red pixels of the failed state").isPositive();
    // The succeeded bars' fill, #3b82f6.
    assertThat(count(image, 0x3b82f6)).as("blue pixels of the succeeded states").isPositive();
  }

  private String chromium(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(HEADLESS);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("chromium.err").toFile())
            .directory(dir.toFile())
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
    return out;
  }

  private static long count(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }
}
