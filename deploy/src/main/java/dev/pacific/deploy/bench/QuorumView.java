package dev.pacific.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.membership.MemberCard;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the control-plane members of a launched cluster say about the quorum, read from each
 * one's own {@code /admin/v1/quorum} (CONTRACT.md) rather than through the LB, so a test or the
 * benchmark can tell the members apart.
 */
public final class QuorumView {

  /** One member's {@code /admin/v1/quorum}, the fields the tests and benchmark use. */
  public record Member(String self, String leader, long term, long commitIndex, long appliedIndex,
      String stateHash) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TIMEOUT_MILLIS = 2000;

  private QuorumView() {}

  /** The member's view, or empty when it does not answer 200. */
  public static Optional<Member> of(MemberSpec m) {
    try (HttpConnection c = new HttpConnection("127.0.0.1", m.httpPort(), TIMEOUT_MILLIS)) {
      HttpConnection.Response r = c.send("GET", "/admin/v1/quorum", new byte[0]);
      if (r.code() != 200) {
        return Optional.empty();
      }
      JsonNode j = JSON.readTree(r.body());
      return Optional.of(new Member(j.path("self").asText(), j.path("leader").isTextual() ? j.path("leader").asText()
          : null, j.path("term").asLong(), j.path("commitIndex").asLong(), j.path("appliedIndex").asLong(),
          j.path("stateHash").asText()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Every answering control-plane member's view, by name. */
  public static Map<String, Member> all(ClusterFile cluster) {
    Map<String, Member> views = new LinkedHashMap<>();
    for (MemberSpec m : cluster.withRole(MemberCard.CONTROL_PLANE)) {
      of(m).ifPresent(v -> views.put(m.name(), v));
    }
    return views;
  }

  /**
   * The leader, as the leader itself claims it: a follower that has not yet noticed a crash still
   * names the dead leader, so only a member that names itself (in the highest term) counts.
   */
  public static Optional<String> leader(ClusterFile cluster) {
    return all(cluster).values().stream()
        .filter(v -> v.self().equals(v.leader()))
        .max(Comparator.comparingLong(Member::term))
        .map(Member::self);
  }

  /** True when every control-plane member answers with the same applied index and state hash. */
  public static boolean converged(ClusterFile cluster) {
    Map<String, Member> views = all(cluster);
    return views.size() == cluster.withRole(MemberCard.CONTROL_PLANE).size()
        && views.values().stream().map(v -> v.appliedIndex() + "/" + v.stateHash()).distinct().count() == 1;
  }

  /** Each control-plane member's {@code /admin/v1/quorum} body as it came, for failure messages. */
  public static String raw(ClusterFile cluster) {
    StringBuilder sb = new StringBuilder();
    for (MemberSpec m : cluster.withRole(MemberCard.CONTROL_PLANE)) {
      try (HttpConnection c = new HttpConnection("127.0.0.1", m.httpPort(), TIMEOUT_MILLIS)) {
        sb.append("\n  ").append(m.name()).append(": ").append(c.send("GET", "/admin/v1/quorum", new byte[0]).text());
      } catch (IOException e) {
        sb.append("\n  ").append(m.name()).append(": no answer (").append(e.getMessage()).append(')');
      }
    }
    return sb.toString();
  }

  /** The member answers {@code /readyz} 200: it sees a leader. */
  public static boolean ready(MemberSpec m) {
    try (HttpConnection c = new HttpConnection("127.0.0.1", m.httpPort(), TIMEOUT_MILLIS)) {
      return c.send("GET", "/readyz", new byte[0]).code() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
