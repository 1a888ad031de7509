#!/usr/bin/env bash
# The tour (scripts/tour/01-basics.csx, as bench/runner/tour.csx runs it) written as a bash script
# of docker CLI calls, for the benchmark: the same containers (all with --dns 127.0.0.1, as the
# tour's `dns: local`), networks, connect/disconnect and reads, and the tour's probes done the CLI
# way: `docker exec X ping -c N -W 1 Y`, `docker exec X timeout 5 wget -q -O - http://Y/` (busybox
# `wget -T` crashes here, so busybox `timeout` bounds it), `grep` of /etc/hosts where the tour's
# Resolve is answered by the hosts file and `nslookup NAME 127.0.0.11` where the embedded DNS
# answers it; then the reachability matrix as a loop of one-echo pings by IP and by name over the
# 30 ordered pairs.
#
# Network rule: every probe targets a container this script made or loopback. By-name probes from
# the default bridge ask the containers' resolver, which is 127.0.0.1 (--dns), so no lookup leaves
# the machine; the embedded DNS forwards names it does not know to that same 127.0.0.1.
#
# Everything carries DockScript's labels (this shell as the owner), so `dockscript down` can clear
# what an interrupted run leaves; the trap removes, by name, exactly what this run created.
# TOUR_SH_TIMES=1 prints the elapsed time per section on stderr at the end; TOUR_SH_PARALLEL=1
# probes the matrix's pairs concurrently instead of one after the other.
# Usage: bench/runner/tour.sh [PREFIX]   (default rn-bench-cli-)
set -euo pipefail
P=${1:-rn-bench-cli-}
PORT=18182
SESSION=bench$$
LABELS=(--label io.dockscript=true --label "io.dockscript.session=$SESSION" --label "io.dockscript.pid=$$" --label "io.dockscript.host=$(hostname)")
LOCAL_DNS=(--dns 127.0.0.1)
CREATED=()        # container names, in creation order
NETWORKS=()       # network names

cleanup() {
  local rc=$?
  if [ ${#CREATED[@]} -gt 0 ]; then docker rm -f "${CREATED[@]}" >/dev/null 2>&1 || true; fi
  if [ ${#NETWORKS[@]} -gt 0 ]; then docker network rm "${NETWORKS[@]}" >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(date +%s%N); TIMES=()
section() {
  local now; now=$(date +%s%N)
  [ -z "${CUR:-}" ] || TIMES+=("$(printf '%-8s %6d ms' "$CUR" $(((now - TLAST) / 1000000)))")
  CUR=$1; TLAST=$now
  printf '\n── %s · %s ──\n' "$1" "$2"
}
show() { printf '   %-28s %s\n' "$1" "$2"; }
check() { if ! eval "$1"; then echo "Assertion failed: $2." >&2; exit 2; fi; }

run() { # run NAME [docker run options…] IMAGE [COMMAND…]
  local name=$1; shift
  CREATED+=("$name")
  local out
  # docker warns that a localhost DNS "may fail in containers": that is the point here.
  out=$(docker run -d --name "$name" "${LABELS[@]}" "${LOCAL_DNS[@]}" "$@" 2>&1) || { echo "$out" >&2; return 1; }
}
ip_of() { docker inspect -f '{{.NetworkSettings.IPAddress}}' "$1"; }
short_id() { docker inspect -f '{{.Config.Hostname}}' "$1"; }
nets_of() { docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}' "$1"; }
# curl FROM URL → the body on stdout; fails like wget does (5 s, as Curl's default)
curl_from() { docker exec "$1" timeout 5 wget -q -O - "$2"; }
# ping FROM TARGET COUNT → the summary lines; the status is ping's
ping_from() { docker exec "$1" ping -c "$3" -W 1 "$2" 2>&1 | grep -E 'packets|round-trip|bad address|unreachable' ; return "${PIPESTATUS[0]}"; }
# A ping by name: busybox ping resolves with glibc's defaults (5 s × 2 attempts per nameserver, so
# 10 s when 127.0.0.11 stays silent about a name); `timeout 2` bounds it like Resolve's 2 s.
ping_name() { docker exec "$1" timeout 2 ping -c 1 -W 1 "$2" 2>&1 | grep -E 'packets|round-trip|bad address|unreachable' ; return "${PIPESTATUS[0]}"; }

docker version -f 'docker {{.Server.Version}}, API {{.Server.APIVersion}}'

section S1 "docker network ls: the default networks"
docker network ls
drivers=$(docker network inspect -f '{{.Driver}}' bridge host none | tr '\n' ' ')
check '[ "$drivers" = "bridge host null " ]' "bridge, host and none use the bridge, host and null drivers"

section S2 "bridge: containers on the same bridge talk to each other"
run "${P}nginx1" dockscript/web
run "${P}nginx2" dockscript/web
ip1=$(ip_of "${P}nginx1"); ip2=$(ip_of "${P}nginx2")
show "${P}nginx1" "$ip1"; show "${P}nginx2" "$ip2"
page=$(curl_from "${P}nginx1" "http://$ip2/")
show "${P}nginx1 → http://$ip2/" "$page"
check '[ "$page" = "$(short_id "${P}nginx2")" ]' "nginx1 reaches nginx2 by IP and gets its hostname back"
out=$(ping_from "${P}nginx1" "$ip2" 2)
show "ping -c 2 ${P}nginx2's IP" "$(head -1 <<<"$out")"
check 'grep -q "2 packets received" <<<"$out"' "ping by IP works on the default bridge"
byname=0; out=$(ping_name "${P}nginx1" "${P}nginx2") || byname=$?
hosts=$(docker exec "${P}nginx1" cat /etc/hosts)
resolv=$(docker exec "${P}nginx1" cat /etc/resolv.conf)
show "ping ${P}nginx2 by name" "$out (nets: $(nets_of "${P}nginx1"); not in /etc/hosts; nameserver $(awk '/^nameserver/ {print $2}' <<<"$resolv"))"
check '[ "$byname" -ne 0 ] && ! grep -q "${P}nginx2" <<<"$hosts" && ! grep -q "127.0.0.11" <<<"$resolv"' "the default bridge gives no name resolution"

section S3 "docker stats: traffic counters"
docker stats --no-stream --format '   {{.Name}} CPU / memory {{.CPUPerc}} / {{.MemUsage}}, net {{.NetIO}}' "${P}nginx2"
dev=$(docker exec "${P}nginx2" cat /proc/net/dev)
rx=$(awk -F'[: ]+' '/eth0/ {print $3}' <<<"$dev")
show "${P}nginx2 eth0 rx / tx" "$(awk -F'[: ]+' '/eth0/ {print $3 " B / " $11 " B (" $4 " / " $12 " packets)"}' <<<"$dev")"
check '[ "$rx" -gt 0 ]' "nginx2 has received bytes"

section S4 "--network host: the host's own stack"
run "${P}hostweb" --network host dockscript/web sh -c "hostname > /www/index.html && exec httpd -f -p 127.0.0.1:$PORT -h /www"
hostip=$(ip_of "${P}hostweb"); ports=$(docker port "${P}hostweb")
show "IP of its own" "${hostip:-(none)}"; show "published ports" "${ports:-(none: PORTS is empty)}"
check '[ -z "$hostip" ] && [ -z "$ports" ]' "a host-network container has no IP and no port mappings"
page=""
for _ in $(seq 20); do page=$(curl -fsS --max-time 1 "http://127.0.0.1:$PORT/" 2>/dev/null || true); [ -n "$page" ] && break; sleep 0.1; done
show "host → http://127.0.0.1:$PORT/" "$page (the host's own hostname)"
check '[ -n "$page" ]' "its server answers on the host's loopback"

section S5 "--network none: loopback only"
run "${P}hermit" --network none dockscript/toolbox sleep 3600
ifaces=$(docker exec "${P}hermit" ls /sys/class/net | tr '\n' ' ')
show "interfaces inside" "$ifaces"
check '[ "$ifaces" = "lo " ]' "a none container has only lo"
lonely=0; out=$(ping_from "${P}hermit" "$ip1" 1) || lonely=$?
show "ping $ip1" "$out (nets: $(nets_of "${P}hermit"))"
check '[ "$lonely" -ne 0 ]' "nothing leaves a none container"
nets=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "${P}nginx1")
show "no option given means" "$nets"
check '[ "$nets" = "bridge " ]' "an unspecified network means the default bridge"

section S6 "finding a container's IP"
show "IP" "$ip1"
show "IPs" "$(nets_of "${P}nginx1")"
docker exec "${P}nginx1" ip -o -4 addr show
members=$(docker network inspect -f '{{range .Containers}}{{.Name}}={{.IPv4Address}} {{end}}' bridge)
show "bridge members" "$members"
check 'grep -q "${P}nginx1=$ip1/" <<<"$members"' "network inspect lists nginx1 with its IP"
check 'docker exec "${P}nginx1" ip -o -4 addr show | grep -q " $ip1/"' "the address inside matches inspect"

section S7 "IP masquerade"
masq=$(docker network inspect -f '{{index .Options "com.docker.network.bridge.enable_ip_masquerade"}}' bridge)
show "bridge masquerades" "$masq"
check '[ "$masq" = "true" ]' "outbound traffic from the bridge leaves with the host's IP"

section S11 "--link: a name in /etc/hosts"
run "${P}nginx3" --link "${P}nginx1" dockscript/web
docker exec "${P}nginx3" cat /etc/hosts | grep -w "${P}nginx1"
page=$(curl_from "${P}nginx3" "http://${P}nginx1/")
show "${P}nginx3 → http://${P}nginx1/" "$page"
# The tour asks Resolve twice (show, then assert); so does this.
show "who answered '${P}nginx1'" "$(docker exec "${P}nginx3" grep -w "${P}nginx1" /etc/hosts | awk '{print $1}') (answered by /etc/hosts)"
answer=$(docker exec "${P}nginx3" grep -w "${P}nginx1" /etc/hosts | awk '{print $1}')
check '[ "$answer" = "$ip1" ] && [ "$page" = "$(short_id "${P}nginx1")" ]' "the link writes nginx1's name and IP into nginx3's /etc/hosts, so the name works"

section S12 "a user-defined network: names just work"
NETWORKS+=("${P}my-network")
docker network create "${LABELS[@]}" "${P}my-network" >/dev/null
run "${P}nginx4" --network "${P}my-network" dockscript/web
run "${P}nginx5" --network "${P}my-network" dockscript/web
docker network inspect -f '   {{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}}' "${P}my-network"
page=$(curl_from "${P}nginx4" "http://${P}nginx5/")
show "${P}nginx4 → http://${P}nginx5/" "$page"
check '[ "$page" = "$(short_id "${P}nginx5")" ]' "containers on a user network reach each other by name"

section S13 "docker network connect / disconnect"
docker network connect "${P}my-network" "${P}nginx1"
joined=$(docker inspect -f "{{(index .NetworkSettings.Networks \"${P}my-network\").IPAddress}}" "${P}nginx1")
show "${P}nginx1 after connect" "$(nets_of "${P}nginx1")"
show "ping ${P}nginx1 from ${P}nginx4" "$(ping_name "${P}nginx4" "${P}nginx1" | head -1)"
page=$(curl_from "${P}nginx4" "http://${P}nginx1/")
check '[ "$page" = "$(short_id "${P}nginx1")" ]' "once connected, nginx4 reaches nginx1 by name"
docker network disconnect "${P}my-network" "${P}nginx1"
show "${P}nginx1 after disconnect" "$(nets_of "${P}nginx1")"
gone=0; out=$(ping_from "${P}nginx4" "$ip1" 1) || gone=$?
show "ping ${P}nginx1 from ${P}nginx4" "$out (${P}nginx4: $(nets_of "${P}nginx4"); ${P}nginx1: $(nets_of "${P}nginx1"))"
old=0; out=$(ping_from "${P}nginx4" "$joined" 1) || old=$?
show "ping $joined" "$out (members of ${P}my-network: $(docker network inspect -f '{{range .Containers}}{{.Name}} {{end}}' "${P}my-network"))"
check '[ "$gone" -ne 0 ] && [ "$old" -ne 0 ] && ! docker network inspect -f "{{range .Containers}}{{.Name}} {{end}}" "${P}my-network" | grep -q "${P}nginx1 "' "once disconnected, nginx1 is out of reach"

section S14 "DNS: Docker's embedded server"
ns() { docker exec "$1" cat /etc/resolv.conf | awk '/^nameserver/ {printf "%s ", $2}'; }
show "${P}nginx4:/etc/resolv.conf" "$(ns "${P}nginx4")"
# The tour asks Resolve twice here too. nslookup asks the embedded DNS by name, which knows it.
show "who answered '${P}nginx5'" "$(docker exec "${P}nginx4" nslookup "${P}nginx5" 127.0.0.11 | awk '/^Address/ && !/127.0.0.11/ {print $NF}' | tr '\n' ' ')(answered by 127.0.0.11)"
check 'docker exec "${P}nginx4" nslookup "${P}nginx5" 127.0.0.11 >/dev/null' "Docker's embedded DNS answered"
show "${P}nginx2:/etc/resolv.conf" "$(ns "${P}nginx2")"
show "${P}nginx1:/etc/resolv.conf" "$(ns "${P}nginx1")(kept since it joined ${P}my-network)"
check '[ "$(ns "${P}nginx4")" = "127.0.0.11 " ]' "on a user network, 127.0.0.11 answers names"
check '[ "$(ns "${P}nginx2")" != "127.0.0.11 " ]' "on the default bridge alone there is no embedded DNS"

section "S2–S14" "who reaches whom, at a glance"
M=("${P}nginx1" "${P}nginx2" "${P}nginx3" "${P}nginx4" "${P}nginx5" "${P}hermit")
declare -A NETS MARK
for c in "${M[@]}"; do NETS[$c]=$(nets_of "$c"); done
# The address of $2 on a network $1 shares, else its primary (first) address; empty when it has none.
address_for() {
  local kv net ip first=""
  for kv in ${NETS[$2]}; do
    net=${kv%%=*}; ip=${kv#*=}
    [ -n "$ip" ] || continue
    [ -n "$first" ] || first=$ip
    if [[ " ${NETS[$1]} " == *" $net="* ]]; then echo "$ip"; return; fi
  done
  echo "$first"
}
probe_pair() { # probe_pair A B → "A/B MARK"; IP and name as the tour's matrix: one echo, 1 s; names bounded by 2 s
  local a=$1 b=$2 ip byip=no byname=no pid
  ip=$(address_for "$a" "$b")
  by_ip() { [ -n "$ip" ] && docker exec "$a" ping -c 1 -W 1 "$ip" >/dev/null 2>&1; }
  if [ -n "${TOUR_SH_PARALLEL:-}" ]; then
    # Both probes of the pair at once too, as Reachability does.
    by_ip & pid=$!
    if docker exec "$a" timeout 2 ping -c 1 -W 1 "$b" >/dev/null 2>&1; then byname=yes; fi
    if wait "$pid"; then byip=yes; fi
  else
    if by_ip; then byip=yes; fi
    if docker exec "$a" timeout 2 ping -c 1 -W 1 "$b" >/dev/null 2>&1; then byname=yes; fi
  fi
  case $byip/$byname in
    yes/yes) echo "$a/$b ip+name" ;; yes/no) echo "$a/$b ip only" ;;
    no/yes) echo "$a/$b name only" ;; *) echo "$a/$b -" ;;
  esac
}
# TOUR_SH_PARALLEL=1 runs the 30 pairs as background jobs (as Reachability runs its probes at
# once); by default they run one after the other, the plain CLI way.
results=$(
  for a in "${M[@]}"; do
    for b in "${M[@]}"; do
      [ "$a" != "$b" ] || continue
      if [ -n "${TOUR_SH_PARALLEL:-}" ]; then probe_pair "$a" "$b" & else probe_pair "$a" "$b"; fi
    done
  done
  wait
)
while read -r pair mark; do MARK[$pair]=$mark; done <<<"$results"
printf '%-22s' 'from \ to'; printf '%-22s' "${M[@]}"; echo
for a in "${M[@]}"; do
  printf '%-22s' "$a"
  for b in "${M[@]}"; do if [ "$a" = "$b" ]; then printf '·%21s' ''; else printf '%-22s' "${MARK[$a/$b]}"; fi; done
  echo
done
show "${P}nginx3 → ${P}nginx4" "no reply (${P}nginx3: ${NETS[${P}nginx3]}; ${P}nginx4: ${NETS[${P}nginx4]})"
show "${P}nginx4 → '${P}nginx1'" "name not resolved (${P}nginx4: ${NETS[${P}nginx4]}; ${P}nginx1: ${NETS[${P}nginx1]})"
check '[ "${MARK[${P}nginx3/${P}nginx1]}" = ip+name ] && [ "${MARK[${P}nginx4/${P}nginx5]}" = ip+name ] && [ "${MARK[${P}nginx1/${P}nginx4]}" = - ]' \
  "a link or a user network gives names; sharing no network gives nothing"
section end "" >/dev/null

printf '\nAll claims held. What this tour created:\n   %s\n' "${CREATED[*]} ${NETWORKS[*]}"
if [ -n "${TOUR_SH_TIMES:-}" ]; then
  printf '%s\n' "${TIMES[@]}" >&2
  echo "total    $((($(date +%s%N) - T0) / 1000000)) ms" >&2
fi
