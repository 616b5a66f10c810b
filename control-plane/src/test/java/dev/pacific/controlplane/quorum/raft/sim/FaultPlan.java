package dev.pacific.controlplane.quorum.raft.sim;

import java.util.Random;

/**
 * How hard one seed shakes the cluster. Rates are per 10,000 time units.
 * Two families, because the hazards they expose need opposite conditions:
 * <ul>
 *   <li>chaos — frequent crashes (often of the leader, sometimes just after
 *       it wins), short partitions, long delays and small batches: leaders
 *       come and go leaving entries on minorities, as in the paper's Fig. 8;</li>
 *   <li>split brain — check-quorum off, short delays, few crashes and long
 *       partitions that cut the leader off: the old leader keeps its role
 *       while the majority elects a new one, so any read it answers without
 *       confirming its leadership (dissertation §6.4) is stale.</li>
 * </ul>
 */
record FaultPlan(String name, boolean checkQuorum, int dropPercent, int duplicatePercent, int maxDelay,
                 int crashRate, int partitionRate, int healRate, int cutLeaderPercent,
                 int crashNewLeaderPercent, int cutNewLeaderPercent) {

    static FaultPlan draw(Random random) {
        if (random.nextInt(4) == 0) {
            return new FaultPlan("split brain", false, random.nextInt(5), random.nextInt(4), 2 + random.nextInt(10),
                    2 + random.nextInt(4), 4 + random.nextInt(6), 2 + random.nextInt(4), 90, 2, 25);
        }
        boolean sticky = random.nextBoolean();
        return new FaultPlan("chaos", random.nextBoolean(), random.nextInt(12), random.nextInt(6),
                random.nextBoolean() ? 2 + random.nextInt(10) : 2 + random.nextInt(60),
                10 + random.nextInt(20), sticky ? 2 + random.nextInt(6) : 10 + random.nextInt(20),
                sticky ? 2 + random.nextInt(6) : 20, 50, 20, 15);
    }
}
