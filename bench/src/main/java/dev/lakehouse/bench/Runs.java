package dev.lakehouse.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Repeated measurements of one thing, and the median that summarises them (robust to one disturbed
 * run).
 */
final class Runs {
  private final List<Double> values = new ArrayList<>();

  static double seconds(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * One interleaved A/B pair: both timed back to back, A first in even pairs and B first in odd
   * ones, so neither always gets the warmer (or the quieter) slot.
   */
  static void pair(int index, Runs a, Runnable workA, Runs b, Runnable workB) {
    if (index % 2 == 0) {
      a.add(seconds(workA));
      b.add(seconds(workB));
    } else {
      b.add(seconds(workB));
      a.add(seconds(workA));
    }
  }

  Runs add(double value) {
    values.add(value);
    return this;
  }

  List<Double> values() {
    return List.copyOf(values);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  double median() {
    if (values.isEmpty()) {
      throw new IllegalStateException("no runs measured");
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The median of the pairwise ratios a[i] / b[i]: each pair ran back to back, so both saw the same
   * machine.
   */
  static double pairedRatio(Runs a, Runs b) {
    if (a.values.size() != b.values.size()) {
      throw new IllegalStateException(
          "unpaired runs: " + a.values.size() + " vs " + b.values.size());
    }
    Runs ratios = new Runs();
    for (int i = 0; i < a.values.size(); i++) {
      ratios.add(a.values.get(i) / b.values.get(i));
    }
    return ratios.median();
  }
}
