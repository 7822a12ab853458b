package dev.lakehouse.asl.model;

import dev.lakehouse.asl.json.PayloadTemplate;
import dev.lakehouse.asl.json.ReferencePath;

/**
 * The input/output processing fields of a state, already defaulted and compiled.
 *
 * <p>A {@code null} path means the field was explicitly JSON {@code null} (spec:
 * InputPath/OutputPath null give {@code {}}, ResultPath null discards the result); an absent field
 * defaults to {@code "$"}. A {@code null} template means the field was absent.
 */
public record Io(
    String inputPath,
    PayloadTemplate parameters,
    PayloadTemplate resultSelector,
    ReferencePath resultPath,
    String outputPath) {
  public static final Io DEFAULT = new Io("$", null, null, ReferencePath.ROOT, "$");
}
