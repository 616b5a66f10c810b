#!/usr/bin/env bash
# Pacific host watchdog: kills a host's pods when the host can no longer vouch for them.
#
# It runs outside the host JVM so that it still works when that JVM is SIGKILLed or paused
# (SIGSTOP, a long GC): a parent-death signal would not do, as Linux sends it when the *thread*
# that forked the child ends, not the process.
#
# stdin is a pipe from the host JVM, one line per message:
#   renew MILLIS      the host's lease is valid for this long from now; past it, pods must be gone
#   adopt PGID        a pod process group was started
#   release PGID      it ended
# End of input means the JVM is gone (the kernel closes its end of the pipe, whatever killed it).
# Either way every known group is SIGKILLed, and every process carrying this host's markers
# (PACIFIC_CLUSTER, PACIFIC_HOST) too, in case one left its group.
#
# Time is read from /proc/uptime, which never steps: a wall clock set back (NTP, a VM resumed)
# would otherwise push the deadline out and let a paused host's pods run on.
#
# usage: watchdog.sh CLUSTER HOST POLL_SECONDS
cluster=$1
host=$2
poll=$3
deadline=0
fenced=0
declare -A groups

log() { echo "$(date -u +%FT%TZ) watchdog[$host]: $*" >&2; }

kill_pods() {
  local g d e c h
  for g in "${!groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  for d in /proc/[0-9]*; do
    mapfile -d '' -t env 2>/dev/null < "$d/environ" || continue
    c=0 h=0
    for e in "${env[@]}"; do
      [[ $e == "PACIFIC_CLUSTER=$cluster" ]] && c=1
      [[ $e == "PACIFIC_HOST=$host" ]] && h=1
    done
    (( c && h )) && kill -KILL "${d#/proc/}" 2>/dev/null
  done
  log "killed pods ($1)"
}

# Monotonic milliseconds (centisecond resolution), without forking.
now_millis() { local up rest; read -r up rest < /proc/uptime; now=$(( 10#${up/./} * 10 )); }

# Only the end of the pipe (or the deadline) ends the watch. `pacific down` signals the host and every process
# under it at once: had SIGTERM ended the watchdog, a pod the host started again while shutting down (a container
# the same SIGTERM ended, restarted at once by its restart policy) would outlive the host. SIGKILL still ends it.
trap '' TERM INT HUP

log "watching (poll ${poll}s)"
while :; do
  if read -r -t "$poll" verb arg; then
    case $verb in
      renew) now_millis; deadline=$(( now + arg )); fenced=0 ;;
      adopt) groups[$arg]=1 ;;
      release) unset "groups[$arg]" ;;
    esac
  elif (( $? <= 128 )); then
    kill_pods "host JVM gone"
    exit 0
  fi
  now_millis
  if (( deadline > 0 && now > deadline && !fenced )); then
    kill_pods "lease deadline $deadline passed at $now"
    fenced=1
  fi
done
