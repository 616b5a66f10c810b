package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pacific.controlplane.quorum.QuorumMember.FromPeer;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Message;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every quorum message survives the binary format unchanged, and none falls back to another serializer. */
class QuorumSerializerTest {

  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static Stream<Message> raftMessages() {
    byte[] big = new byte[300_000];
    big[299_999] = 7;
    return Stream.of(
        new Message.RequestVote("cp-1", "cp-2", 3, 17, 2, true, false),
        new Message.VoteResponse("cp-2", "cp-1", 3, false, true),
        new Message.AppendEntries("cp-1", "cp-3", 4, 10, 3,
            List.of(new Entry(4, 11, new byte[0]), new Entry(4, 12, "put".getBytes()), new Entry(4, 13, big)), 9),
        new Message.AppendEntries("cp-1", "cp-3", 4, 10, 3, List.of(), 9),
        new Message.AppendResponse("cp-3", "cp-1", 4, 10, true, 8, 2),
        new Message.Heartbeat("cp-1", "cp-2", 4, 12, 5),
        new Message.HeartbeatResponse("cp-2", "cp-1", 4, 5),
        new Message.InstallSnapshot("cp-1", "cp-2", 4, 100, 3, 2_000_000, 524_288, big),
        new Message.SnapshotAck("cp-2", "cp-1", 4, 100, 1_048_576),
        new Message.TimeoutNow("cp-1", "cp-2", 5));
  }

  @ParameterizedTest
  @MethodSource("raftMessages")
  void everyRaftMessageRoundTrips(Message m) {
    FromPeer back = (FromPeer) roundTrip(new FromPeer(m));
    assertEquals(m.getClass(), back.message().getClass());
    if (m instanceof Message.InstallSnapshot s) {
      var t = (Message.InstallSnapshot) back.message();
      assertEquals(List.of(s.from(), s.to(), s.term(), s.snapshotIndex(), s.snapshotTerm(), s.totalBytes(), s.offset()),
          List.of(t.from(), t.to(), t.term(), t.snapshotIndex(), t.snapshotTerm(), t.totalBytes(), t.offset()));
      assertArrayEquals(s.chunk(), t.chunk());
    } else {
      assertEquals(m, back.message()); // records; AppendEntries compares entries byte by byte
    }
  }

  @Test
  void clientMessagesRoundTripWithTheirReplyRefs() {
    TestProbe<QuorumMember.Reply> probe = kit.createTestProbe();
    var propose = (QuorumMember.Propose) roundTrip(new QuorumMember.Propose("cmd".getBytes(), probe.ref(), 1));
    assertArrayEquals("cmd".getBytes(), propose.command());
    assertEquals(probe.ref(), propose.replyTo());
    assertEquals(1, propose.hops());
    var read = (QuorumMember.Read) roundTrip(new QuorumMember.Read("q".getBytes(), probe.ref()));
    assertArrayEquals("q".getBytes(), read.query());
    assertEquals(probe.ref(), read.replyTo());
    var renew = (QuorumMember.Renew) roundTrip(new QuorumMember.Renew("k".getBytes(), probe.ref(), 1));
    assertArrayEquals("k".getBytes(), renew.request());
    assertEquals(List.of(probe.ref(), 1), List.of(renew.replyTo(), renew.hops()));
    assertEquals(new QuorumMember.ConfirmRead("cp-2", 9), roundTrip(new QuorumMember.ConfirmRead("cp-2", 9)));
    assertEquals(new QuorumMember.ReadConfirmed(9, -1), roundTrip(new QuorumMember.ReadConfirmed(9, -1)));
    TestProbe<QuorumStatus> statusProbe = kit.createTestProbe();
    assertEquals(statusProbe.ref(), ((QuorumMember.GetStatus) roundTrip(new QuorumMember.GetStatus(statusProbe.ref())))
        .replyTo());
  }

  @Test
  void forwardedBatchesAndTheirPlacementsRoundTrip() {
    byte[] big = new byte[200_000];
    big[199_999] = 9;
    var batch = new QuorumMember.Forwarded("cp-2", -77, 41, List.of("a".getBytes(), new byte[0], big));
    var back = (QuorumMember.Forwarded) roundTrip(batch);
    assertEquals(List.of("cp-2", -77L, 41L, 3), List.of(back.from(), back.incarnation(), back.firstId(),
        back.commands().size()));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(batch.commands().get(i), back.commands().get(i));
    }
    var placed = new QuorumMember.Placed(-77, 41, 3, 1200, 6, "cp-1");
    assertEquals(placed, roundTrip(placed));
    var refused = new QuorumMember.Placed(5, 1, 2, 0, 0, null);
    assertEquals(refused, roundTrip(refused));
  }

  @Test
  void repliesAndStatusRoundTrip() {
    var result = (QuorumMember.Result) roundTrip(new QuorumMember.Result(42, new byte[] {1, 2}));
    assertEquals(42, result.index());
    assertArrayEquals(new byte[] {1, 2}, result.value());
    assertEquals(new QuorumMember.NotLeader("cp-2"), roundTrip(new QuorumMember.NotLeader("cp-2")));
    assertNull(((QuorumMember.NotLeader) roundTrip(new QuorumMember.NotLeader(null))).leader());
    var status = new QuorumStatus("cp-2", null, 7, 812, 811, "abc", List.of(
        new QuorumStatus.MemberStatus("cp-1", true, 812L, "replicate, next 813, 0 in flight"),
        new QuorumStatus.MemberStatus("cp-2", false, null, null)), 815, 800);
    assertEquals(status, roundTrip(status));
  }

  @Test
  void aHeartbeatStaysSmall() {
    byte[] bytes = serialization.serialize(new FromPeer(new Message.Heartbeat("cp-1", "cp-2", 4, 12, 5))).get();
    assertEquals(true, bytes.length < 40, "heartbeat is " + bytes.length + " bytes");
  }

  private static Object roundTrip(Object o) {
    var serializer = serialization.findSerializerFor(o);
    assertInstanceOf(QuorumSerializer.class, serializer);
    byte[] bytes = serializer.toBinary(o);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
  }
}
