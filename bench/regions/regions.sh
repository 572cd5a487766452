#!/usr/bin/env bash
# Simulated regions for the regions benchmark: network namespaces joined by veth pairs, with real one-way delay
# on every link between regions. Root only. Everything it creates is named sbr-* and lives inside its own
# namespaces: nothing in the caller's namespace is touched, and no link leads out of the sbr-* namespaces.
#
#   regions.sh up [--core us] [--region NAME:DELAY_MS]... [--core-ports "40100"] [--region-ports "40200"]
#                 [--loss P] [--netem auto|on|off]
#   regions.sh down          remove every sbr-* namespace (ending processes still running inside them)
#   regions.sh check         exit 0 when this machine can run it, else print why and exit 1
#   regions.sh status        list the namespaces, addresses and rules
#
# Topology: one namespace per region (sbr-<region>) and a router namespace sbr-wan. Region k (the core region is
# k=1, the others 2, 3, ...) hangs off sbr-wan on its own veth pair and subnet 198.18.k.0/24 (RFC 2544's benchmark
# range): the region side (sbv-<region>) is 198.18.k.2, the wan side (sbw-<region>) 198.18.k.1. Hosts of the
# core region listen on 198.18.1.2 at --core-ports, gateways of region k on 198.18.k.2 at --region-ports.
#
# Delay. Where the kernel has the netem qdisc (--netem auto finds out), sbr-wan forwards and each link gets netem
# delay on both ends. Elsewhere (this project's machines: no netem) sbr-wan does not forward at all: nftables DNAT
# in sbr-wan sends each inter-region flow to a DelayRelay (bench/src/main/java/.../regions/DelayRelay.java) that
# the caller starts in sbr-wan; the relay holds every datagram for the link's delay, in both directions, and
# conntrack rewrites the replies, so every process sees the real addresses of its peers as on a real WAN. `up`
# prints the relay routes the caller must start, one per line:
#     MODE relay|netem
#     NS <region> <namespace> <address>
#     RELAY <listen host:port> <target host:port> <delay ms>
#
# Loss: --loss P adds an nftables rule in every region namespace that drops the fraction P of UDP packets
# arriving on its link (numgen random mod 1000 < P*1000), i.e. on the receiving side of every inter-region hop.
set -euo pipefail

PREFIX=sbr
WAN_NS="$PREFIX-wan"

die() { echo "regions: $*" >&2; exit 1; }
log() { echo "regions: $*" >&2; }

namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX-" || true; }

cmd_down() {
  local ns pid
  for ns in $(namespaces); do
    # A crashed run may have left its processes inside: they are ours (started in our namespace), end them.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      kill -TERM "$pid" 2>/dev/null || true
    done
  done
  for ns in $(namespaces); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
  done
  log "down: no $PREFIX-* namespace left"
}

cmd_check() {
  if [ "$(id -u)" != 0 ]; then
    echo "regions: needs root (network namespaces, veth, nftables); running as uid $(id -u)"; return 1
  fi
  command -v ip >/dev/null 2>&1 || { echo "regions: needs iproute2 ('ip')"; return 1; }
  command -v nft >/dev/null 2>&1 || { echo "regions: needs nftables ('nft'; apt-get install -y nftables)"; return 1; }
  local probe="$PREFIX-probe"
  ip netns del "$probe" 2>/dev/null || true
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "regions: cannot create network namespaces here (ip netns add failed)"; return 1
  fi
  local ok=0
  if ! ip netns exec "$probe" ip link add sbp0 type veth peer name sbp1 2>/dev/null; then
    echo "regions: no veth support"; ok=1
  fi
  if [ $ok = 0 ] && ! ip netns exec "$probe" nft -f - <<'EOF' 2>/dev/null
table ip sbr_probe {
  chain pre { type nat hook prerouting priority dstnat; policy accept; udp dport 9 numgen random mod 1000 < 1 drop; }
}
EOF
  then
    echo "regions: nftables NAT or numgen unavailable in this kernel"; ok=1
  fi
  ip netns del "$probe" 2>/dev/null || true
  return $ok
}

has_netem() {
  ip netns exec "$WAN_NS" tc qdisc add dev lo root netem delay 1ms 2>/dev/null || return 1
  ip netns exec "$WAN_NS" tc qdisc del dev lo root 2>/dev/null || true
  return 0
}

cmd_up() {
  local core=us core_ports=40100 region_ports=40200 loss=0 netem=auto
  local -a regions=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --core) core="$2"; shift 2 ;;
      --region) regions+=("$2"); shift 2 ;;
      --core-ports) core_ports="$2"; shift 2 ;;
      --region-ports) region_ports="$2"; shift 2 ;;
      --loss) loss="$2"; shift 2 ;;
      --netem) netem="$2"; shift 2 ;;
      *) die "unknown option '$1' (see the header of $0)" ;;
    esac
  done
  [ ${#regions[@]} -ge 1 ] || regions=(eu:40 latam:60)
  [ ${#regions[@]} -le 200 ] || die "at most 200 regions"
  local per_mille
  per_mille=$(awk -v p="$loss" 'BEGIN { if (p < 0 || p >= 1) exit 1; printf "%d", p * 1000 + 0.5 }') \
    || die "--loss must be a fraction in [0, 1): $loss"
  local port
  for port in $core_ports; do
    case " $region_ports " in *" $port "*) die "core and region ports must differ: $port" ;; esac
  done

  [[ "$core" =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "bad --core '$core'"
  local -a names=("$core") delays=(0)
  local spec
  for spec in "${regions[@]}"; do
    [[ "$spec" =~ ^([a-z][a-z0-9]{0,9}):([0-9]+)$ ]] || die "bad --region '$spec': expected name:delay_ms, e.g. eu:40"
    [ "${BASH_REMATCH[1]}" != "$core" ] || die "region '$core' is the core region"
    names+=("${BASH_REMATCH[1]}"); delays+=("${BASH_REMATCH[2]}")
  done

  cmd_down >/dev/null 2>&1
  # Leave nothing half-built behind when a step fails (set -e ends the script on the failing command).
  UP_DONE=0
  trap '[ "$UP_DONE" = 1 ] || { log "up failed: tearing down"; cmd_down; }' EXIT

  ip netns add "$WAN_NS"
  ip netns exec "$WAN_NS" ip link set lo up
  local mode=relay
  if [ "$netem" = on ] || { [ "$netem" = auto ] && has_netem; }; then
    mode=netem
  fi

  echo "MODE $mode"
  local k name ns delay
  for k in "${!names[@]}"; do
    name="${names[$k]}"; delay="${delays[$k]}"; ns="$PREFIX-$name"
    local net="198.18.$((k + 1))"
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
    # Created directly inside the two namespaces: the caller's namespace never sees these links.
    ip link add "sbv-$name" netns "$ns" type veth peer name "sbw-$name" netns "$WAN_NS"
    ip netns exec "$ns" ip addr add "$net.2/24" dev "sbv-$name"
    ip netns exec "$ns" ip link set "sbv-$name" up
    ip netns exec "$ns" ip route add default via "$net.1"
    ip netns exec "$WAN_NS" ip addr add "$net.1/24" dev "sbw-$name"
    ip netns exec "$WAN_NS" ip link set "sbw-$name" up
    echo "NS $name $ns $net.2"
    if [ "$mode" = netem ] && [ "$delay" -gt 0 ]; then
      ip netns exec "$ns" tc qdisc add dev "sbv-$name" root netem delay "${delay}ms" limit 100000
      ip netns exec "$WAN_NS" tc qdisc add dev "sbw-$name" root netem delay "${delay}ms" limit 100000
    fi
    if [ "$per_mille" -gt 0 ]; then
      ip netns exec "$ns" nft -f - <<EOF
table inet sbr_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "sbv-$name" meta l4proto udp numgen random mod 1000 < $per_mille counter drop
  }
}
EOF
    fi
  done

  if [ "$mode" = netem ]; then
    ip netns exec "$WAN_NS" sysctl -qw net.ipv4.ip_forward=1
  else
    # No forwarding: a flow without a relay fails loudly instead of crossing the WAN with no delay.
    ip netns exec "$WAN_NS" sysctl -qw net.ipv4.ip_forward=0
    local rules="" core_net="198.18.1"
    for k in "${!names[@]}"; do
      [ "$k" -gt 0 ] || continue
      name="${names[$k]}"; delay="${delays[$k]}"
      local net="198.18.$((k + 1))"
      for port in $core_ports; do
        # Region -> core host: caught on the region's link, relayed from the wan address on that link.
        rules+="    iifname \"sbw-$name\" ip daddr $core_net.2 udp dport $port dnat to $net.1:$port"$'\n'
        echo "RELAY $net.1:$port $core_net.2:$port $delay"
      done
      for port in $region_ports; do
        # Core -> region gateway: caught on the core's link.
        rules+="    iifname \"sbw-$core\" ip daddr $net.2 udp dport $port dnat to $net.1:$port"$'\n'
        echo "RELAY $net.1:$port $net.2:$port $delay"
      done
    done
    # Empty output/postrouting nat chains keep the reverse translation of relayed replies explicit on every kernel.
    ip netns exec "$WAN_NS" nft -f - <<EOF
table ip sbr_relay {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
$rules  }
  chain output { type nat hook output priority -100; policy accept; }
  chain postrouting { type nat hook postrouting priority srcnat; policy accept; }
}
EOF
  fi
  UP_DONE=1
  log "up: mode $mode, core $core, regions ${regions[*]}, loss $loss"
}

cmd_status() {
  local ns
  for ns in $(namespaces); do
    echo "== $ns"
    ip netns exec "$ns" ip -brief addr show | grep -v '^lo ' || true
    ip netns exec "$ns" nft list ruleset 2>/dev/null || true
    ip netns exec "$ns" tc qdisc show 2>/dev/null | grep netem || true
  done
}

[ $# -ge 1 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 1; }
sub="$1"; shift
case "$sub" in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  check) cmd_check ;;
  status) cmd_status ;;
  *) die "unknown subcommand '$sub': up, down, check or status" ;;
esac
