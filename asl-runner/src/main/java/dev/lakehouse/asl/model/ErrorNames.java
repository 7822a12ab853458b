package dev.lakehouse.asl.model;

import java.util.Set;

/** The predefined error names of the States Language ("States." is a reserved prefix). */
public final class ErrorNames {
  public static final String ALL = "States.ALL";
  public static final String TIMEOUT = "States.Timeout";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String RUNTIME = "States.Runtime";
  public static final String BRANCH_FAILED = "States.BranchFailed";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";

  /**
   * Every reserved name a Retrier/Catcher may mention; anything else starting with "States." is a
   * typo.
   */
  public static final Set<String> RESERVED =
      Set.of(
          ALL,
          TIMEOUT,
          TASK_FAILED,
          RUNTIME,
          BRANCH_FAILED,
          NO_CHOICE_MATCHED,
          PARAMETER_PATH_FAILURE,
          RESULT_PATH_MATCH_FAILURE,
          INTRINSIC_FAILURE,
          HEARTBEAT_TIMEOUT,
          "States.DataLimitExceeded",
          "States.Permissions",
          "States.ExceedToleratedFailureThreshold",
          "States.ItemReaderFailed",
          "States.ResultWriterFailed",
          "States.QueryEvaluationError");

  private ErrorNames() {}
}
