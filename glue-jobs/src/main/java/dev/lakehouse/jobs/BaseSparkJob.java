package dev.lakehouse.jobs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What every job has alike: the common arguments, and its step named once, by its {@code @Command}
 * name (the name its Glue-style arguments are parsed under is the one it records in {@code
 * pipeline_runs}).
 */
public abstract class BaseSparkJob implements SparkJob {
  @Mixin protected final JobArguments common = new JobArguments();

  @Override
  public final JobArguments common() {
    return common;
  }

  @Override
  public final String step() {
    return getClass().getAnnotation(Command.class).name();
  }
}
