package dev.lakehouse.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser renders it: Debian's {@code chromium}, headless, lays out and paints the
 * sample report (a task retried once, a failed task) and says what it drew: five bars with their
 * colours, each on top where it is drawn, the failed state's message as text beside its bar and
 * inside the chart, the row labels clear of the bars, the file name with {@code <script>} as text,
 * and no request but the file itself. Needs the {@code chromium} command (apt-get install
 * chromium); without it the test is skipped and says so.
 */
@Tag("tool")
class ReportChromiumTest {
  static final int WIDTH = 1100;
  static final int HEIGHT = 800;

  /**
   * What the page rendered, measured by the browser after layout: CSS pixels, rounded, boxes as
   * [left, top, right, bottom] from the chart's top left corner (what lies above it depends on the
   * fonts installed).
   */
  static final String RENDERED =
      """
      (() => {
        const svg = document.querySelector('svg');
        const o = svg.getBoundingClientRect();
        const box = e => { const b = e.getBoundingClientRect();
          return [b.left - o.left, b.top - o.top, b.right - o.left, b.bottom - o.top].map(Math.round); };
        const bars = [...svg.querySelectorAll('rect')].map(r => { const b = r.getBoundingClientRect();
          return {cls: r.getAttribute('class'), fill: getComputedStyle(r).fill, box: box(r),
            onTop: document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2) === r}; });
        const failed = svg.querySelector('text.failed-text');
        const labels = [...svg.querySelectorAll('text[text-anchor=end]:not(.failed-text)')];
        return {bars, svg: [o.width, o.height],
          labels: labels.map(t => t.textContent), labelsRight: Math.max(...labels.map(t => box(t)[2])),
          failedText: failed.textContent, failedFill: getComputedStyle(failed).fill, failedBox: box(failed),
          scripts: document.querySelectorAll('script').length,
          fileNameShown: document.body.innerText.includes('orders <script>alert(1)</script>.jsonl')};
      })()
      """;

  @TempDir Path dir;

  @Test
  void chromiumRendersTheBarsTheFailedStateAndTheEscapedTextAndRequestsNothingElse()
      throws Exception {
    Assumptions.assumeTrue(
        onPath("chromium"), "chromium is not installed: the report's rendering check is skipped");
    Path file = dir.resolve("report.html");
    Files.writeString(file, ReportHtml.render(ReportHtmlTest.sample()));
    String url = file.toUri().toString();

    JsonNode page;
    BufferedImage image;
    List<String> requests = new ArrayList<>();
    try (HeadlessChromium chromium = HeadlessChromium.start(dir)) {
      chromium.load(url, WIDTH, HEIGHT);
      page = chromium.evaluate(RENDERED);
      image = ImageIO.read(new ByteArrayInputStream(chromium.screenshot()));
      chromium
          .events("Network.requestWillBeSent")
          .forEach(e -> requests.add(e.path("request").path("url").asText()));
    }

    // No font, image, style sheet or anything else fetched: the file alone.
    assertThat(requests).containsExactly(url);
    assertThat(page.path("scripts").asInt()).isZero();
    assertThat(page.path("fileNameShown").asBoolean()).isTrue();
    // Claim, Load's two attempts (the first failed and was retried), Check, Merge (failed).
    JsonNode bars = page.path("bars");
    assertThat(texts(bars, "cls"))
        .containsExactly("succeeded", "retried", "succeeded", "succeeded", "failed");
    assertThat(texts(bars, "fill"))
        .containsExactly(
            "rgb(59, 130, 246)",
            "rgb(252, 165, 165)",
            "rgb(59, 130, 246)",
            "rgb(59, 130, 246)",
            "rgb(220, 38, 38)");
    // The chart is 1000 px wide, four rows 22 px apart from 26 px down, the bars 14 px high; the
    // test clock ticks a second a reading, so the states' times and so their pixels are exact.
    assertThat(page.path("svg").toString()).isEqualTo("[1000,122]");
    assertThat(texts(bars, "box"))
        .containsExactly(
            "[293,28,418,42]",
            "[480,50,543,64]",
            "[585,50,647,64]",
            "[731,72,772,86]",
            "[814,94,939,108]");
    assertThat(texts(bars, "onTop")).containsOnly("true");
    // The labels end 8 px left of the chart (text-anchor end), whatever the font's widths.
    assertThat(texts(page.path("labels"), null)).containsExactly("Claim", "Load", "Check", "Merge");
    assertThat(page.path("labelsRight").asInt()).isEqualTo(ReportHtml.LABEL_WIDTH - 8);
    // Merge failed last, at the chart's right: its message ends 6 px before its bar, starts right
    // of the labels, and is the whole error with the file name as text.
    assertThat(page.path("failedText").asText())
        .isEqualTo("States.TaskFailed: IllegalStateException: bad " + ReportHtmlTest.EVIL);
    assertThat(page.path("failedFill").asText()).isEqualTo("rgb(185, 28, 28)");
    JsonNode failedBox = page.path("failedBox");
    assertThat(failedBox.get(2).asInt()).isEqualTo(bars.get(4).path("box").get(0).asInt() - 6);
    assertThat(failedBox.get(0).asInt()).isGreaterThan(ReportHtml.LABEL_WIDTH);

    // Painted: each colour's pixels are exactly its bars' areas, nothing covers them.
    assertThat(image.getWidth()).isEqualTo(WIDTH);
    // (125 + 62 + 41) x 14 blue, 63 x 14 light red, 125 x 14 red.
    assertThat(area(bars, 0) + area(bars, 2) + area(bars, 3)).isEqualTo(3192);
    assertThat(count(image, 0x3b82f6)).isEqualTo(3192);
    assertThat(area(bars, 1)).isEqualTo(882);
    assertThat(count(image, 0xfca5a5)).isEqualTo(882);
    assertThat(area(bars, 4)).isEqualTo(1750);
    assertThat(count(image, 0xdc2626)).isEqualTo(1750);
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      JsonNode value = field == null ? n : n.path(field);
      out.add(value.isValueNode() ? value.asText() : value.toString());
    }
    return out;
  }

  private static long area(JsonNode bars, int i) {
    JsonNode box = bars.get(i).path("box");
    return (long) (box.get(2).asInt() - box.get(0).asInt())
        * (box.get(3).asInt() - box.get(1).asInt());
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
