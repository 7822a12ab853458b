package dev.lakehouse.asl.model;

import java.util.List;

/**
 * The eight state types. Each record holds its validated, defaulted fields. {@code next} is null
 * for a terminal state ({@code End: true}, Succeed, Fail); Choice transitions through its rules
 * instead.
 */
public sealed interface State {
  String name();

  String type();

  record Task(
      String name,
      Io io,
      String resource,
      Integer timeoutSeconds,
      String timeoutSecondsPath,
      Integer heartbeatSeconds,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements State {
    public String type() {
      return "Task";
    }
  }

  record Pass(String name, Io io, com.fasterxml.jackson.databind.JsonNode result, String next)
      implements State {
    public String type() {
      return "Pass";
    }
  }

  record Choice(String name, Io io, List<ChoiceRule.Branch> choices, String defaultNext)
      implements State {
    public String type() {
      return "Choice";
    }
  }

  /** Exactly one of seconds / timestamp / secondsPath / timestampPath is set. */
  record Wait(
      String name,
      Io io,
      Long seconds,
      java.time.Instant timestamp,
      String secondsPath,
      String timestampPath,
      String next)
      implements State {
    public String type() {
      return "Wait";
    }
  }

  record Succeed(String name, Io io) implements State {
    public String type() {
      return "Succeed";
    }
  }

  /** error/cause are literals; errorPath/causePath are read from the raw state input. */
  record Fail(String name, String error, String errorPath, String cause, String causePath)
      implements State {
    public String type() {
      return "Fail";
    }
  }

  record Parallel(
      String name,
      Io io,
      List<StateGraph> branches,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements State {
    public String type() {
      return "Parallel";
    }
  }

  /**
   * @param itemSelector ItemSelector (or legacy Parameters), null for "the item itself"
   * @param maxConcurrency 0 = unlimited
   */
  record Map(
      String name,
      Io io,
      String itemsPath,
      dev.lakehouse.asl.json.PayloadTemplate itemSelector,
      StateGraph processor,
      int maxConcurrency,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements State {
    public String type() {
      return "Map";
    }
  }
}
