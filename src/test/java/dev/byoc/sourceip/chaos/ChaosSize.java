package dev.byoc.sourceip.chaos;

import java.time.Duration;

/**
 * How much chaos one seed gets: the CI size by default, the soak with {@code -Dchaos.soak=true};
 * each figure can be set on its own ({@code -Dchaos.resources=500}, {@code -Dchaos.seconds=300},
 * {@code -Dchaos.kills=20}).
 *
 * @param resources resources created over the run (updates and deletes come on top): a fifth are
 *     pairs of an IpRecord and a mapping naming it, the rest mappings by SID
 * @param chaos how long the traffic and the faults last
 * @param timedKills hard kills at random moments
 * @param armedKills hard kills the moment Twilio has carried out a create, before it answers
 * @param settle how long the operator may take to converge once the faults stop
 */
record ChaosSize(int resources, Duration chaos, int timedKills, int armedKills, Duration settle) {

  static ChaosSize fromProperties() {
    boolean soak = Boolean.getBoolean("chaos.soak");
    int resources = Integer.getInteger("chaos.resources", soak ? 1000 : 200);
    int seconds = Integer.getInteger("chaos.seconds", soak ? 600 : 40);
    int kills = Integer.getInteger("chaos.kills", soak ? 40 : 5);
    return new ChaosSize(
        resources,
        Duration.ofSeconds(seconds),
        kills,
        Math.max(2, kills / 3),
        Duration.ofSeconds(Integer.getInteger("chaos.settleSeconds", soak ? 600 : 180)));
  }

  /**
   * The run with two leader-elected replicas, smaller because every kill of the leader is followed
   * by a takeover that waits out the 15 s lease: {@code -Dchaos.ha.resources}, {@code
   * -Dchaos.ha.seconds}, {@code -Dchaos.ha.kills} (timed; one more is armed), {@code
   * -Dchaos.ha.settleSeconds}.
   */
  static ChaosSize forTwoReplicas() {
    return new ChaosSize(
        Integer.getInteger("chaos.ha.resources", 100),
        Duration.ofSeconds(Integer.getInteger("chaos.ha.seconds", 30)),
        Integer.getInteger("chaos.ha.kills", 3),
        1,
        Duration.ofSeconds(Integer.getInteger("chaos.ha.settleSeconds", 120)));
  }
}
