package dev.lakehouse.asl.model;

import dev.lakehouse.asl.json.ReferencePath;
import java.util.List;

/** One entry of a state's Catch array; a null resultPath means {@code "ResultPath": null}. */
public record Catcher(List<String> errorEquals, String next, ReferencePath resultPath) {}
