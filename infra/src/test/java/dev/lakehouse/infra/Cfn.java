package dev.lakehouse.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading CloudFormation JSON in tests: lists that may be scalars, and intrinsic functions rendered
 * as text.
 */
final class Cfn {
  private Cfn() {}

  static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
  }

  static List<String> strings(Object value) {
    return list(value).stream().map(Cfn::render).toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /**
   * Renders a value the way cdk-nag prints findings: {@code Ref} as {@code <Id>}, {@code
   * Fn::GetAtt} as {@code <Id.Attr>}, {@code Fn::Join} concatenated, {@code Fn::Sub} as its
   * template.
   */
  static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> m) {
      if (m.containsKey("Ref")) {
        return "<" + m.get("Ref") + ">";
      }
      if (m.containsKey("Fn::GetAtt")) {
        List<Object> parts = list(m.get("Fn::GetAtt"));
        return "<" + parts.stream().map(Object::toString).collect(Collectors.joining(".")) + ">";
      }
      if (m.containsKey("Fn::Join")) {
        List<Object> args = list(m.get("Fn::Join"));
        return list(args.get(1)).stream()
            .map(Cfn::render)
            .collect(Collectors.joining(args.get(0).toString()));
      }
      if (m.containsKey("Fn::Sub")) {
        Object sub = m.get("Fn::Sub");
        return sub instanceof List<?> l ? l.get(0).toString() : sub.toString();
      }
    }
    return value.toString();
  }

  /**
   * Every statement of every IAM policy (standalone policies and inline role policies), tagged with
   * its owner.
   */
  record Statement(
      String owner,
      String effect,
      List<String> actions,
      List<String> resources,
      Object condition) {}

  static List<Statement> statements(TestStacks.Synthesized s) {
    List<Statement> out = new ArrayList<>();
    s.resources("AWS::IAM::Policy")
        .forEach(
            (id, r) -> {
              Map<String, Object> p = map(r.get("Properties"));
              List<String> roles = strings(p.get("Roles"));
              collect(String.join(",", roles), map(p.get("PolicyDocument")), out);
            });
    s.resources("AWS::IAM::Role")
        .forEach(
            (id, r) -> {
              Map<String, Object> p = map(r.get("Properties"));
              for (Object policy : list(p.get("Policies"))) {
                collect("<" + id + ">", map(map(policy).get("PolicyDocument")), out);
              }
            });
    s.resources("AWS::IAM::ManagedPolicy")
        .forEach((id, r) -> collect(id, map(map(r.get("Properties")).get("PolicyDocument")), out));
    return out;
  }

  private static void collect(String owner, Map<String, Object> doc, List<Statement> out) {
    for (Object st : list(doc.get("Statement"))) {
      Map<String, Object> m = map(st);
      out.add(
          new Statement(
              owner,
              (String) m.get("Effect"),
              strings(m.get("Action")),
              strings(m.get("Resource")),
              m.get("Condition")));
    }
  }

  /** Statements of the policies attached to the role with this logical id prefix. */
  static List<Statement> statementsOfRole(TestStacks.Synthesized s, String roleIdPrefix) {
    List<String> roleIds =
        s.resources("AWS::IAM::Role").keySet().stream()
            .filter(id -> id.startsWith(roleIdPrefix))
            .toList();
    if (roleIds.size() != 1) {
      throw new AssertionError("expected one role " + roleIdPrefix + "*, found " + roleIds);
    }
    String ref = "<" + roleIds.get(0) + ">";
    return statements(s).stream()
        .filter(st -> List.of(st.owner().split(",")).contains(ref))
        .toList();
  }
}
