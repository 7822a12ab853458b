package dev.lakehouse.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each distinct configuration once per JVM (a synth costs seconds) and hands the same
 * template to every test that asks for it. The jars are placeholders (the tests never depend on the
 * other modules having been built); the state machines are the real files in statemachines/, as
 * deployed.
 */
final class TestStacks {
  record Synthesized(
      LakehouseStack stack, Template template, Annotations annotations, Map<String, Object> json) {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources(String type) {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      ((Map<String, Object>) json.get("Resources"))
          .forEach(
              (id, r) -> {
                Map<String, Object> res = (Map<String, Object>) r;
                if (type.equals(res.get("Type"))) {
                  out.put(id, res);
                }
              });
      return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
      Map<String, Object> res =
          (Map<String, Object>) ((Map<String, Object>) json.get("Resources")).get(logicalId);
      return (Map<String, Object>) res.getOrDefault("Properties", Map.of());
    }

    /** The single resource of a type whose logical id starts with {@code prefix}. */
    Map<String, Object> only(String type, String prefix) {
      List<Map<String, Object>> found = new ArrayList<>();
      resources(type)
          .forEach(
              (id, r) -> {
                if (id.startsWith(prefix)) {
                  found.add(r);
                }
              });
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one "
                + type
                + " with id "
                + prefix
                + "*, found "
                + found.size()
                + " among "
                + resources(type).keySet());
      }
      return found.get(0);
    }
  }

  private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

  private TestStacks() {}

  /** The default (dev) configuration, as cdk.json has it. */
  static Synthesized dev() {
    return synth(Map.of());
  }

  static synchronized Synthesized synth(Map<String, Object> context) {
    return CACHE.computeIfAbsent(
        context,
        ctx -> {
          App app = App.Builder.create().context(ctx).build();
          LakehouseStack stack = LakehouseApp.build(app, artifacts());
          Template template = Template.fromStack(stack);
          return new Synthesized(stack, template, Annotations.fromStack(stack), template.toJSON());
        });
  }

  static Path infraDir() {
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve("glue")) ? cwd : cwd.resolve("infra");
  }

  /** A state machine file as deployed: statemachines/ at the repository root. */
  static Path aslFile(String name) {
    return infraDir().getParent().resolve("statemachines").resolve(name);
  }

  /** A test-only definition (e.g. one using an undeclared placeholder). */
  static Path testAslFile(String name) {
    return infraDir().resolve("src/test/resources/asl").resolve(name);
  }

  static Artifacts artifacts() {
    Path infra = infraDir();
    Path dir = infra.resolve("target/test-artifacts");
    try {
      return new Artifacts(
          infra.getParent(),
          Artifacts.placeholderArchive(dir, Artifacts.FUNCTIONS_PACKAGE),
          Artifacts.placeholderArchive(dir, Artifacts.GLUE_JOBS_JAR),
          infra.resolve("glue/LakehouseJobStub.scala"),
          infra.resolve("glue/LakehouseJobLauncher.scala"),
          aslFile("ingest-pipeline.asl.json"),
          aslFile("maintenance.asl.json"),
          List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
