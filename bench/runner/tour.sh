#!/usr/bin/env bash
# The tour (scripts/tour/01-basics.csx, as bench/runner/tour.csx runs it) written as a bash script
# of docker CLI calls: the same containers, networks, execs and checks, for the benchmark.
# Everything carries DockScript's labels (this shell as the owner), so `dockscript down` can clear
# what an interrupted run leaves; the trap removes it all at the end.
set -euo pipefail
P=${1:-rn-bench-}
SESSION=bench$$
LABELS=(--label io.dockscript=true --label "io.dockscript.session=$SESSION" --label "io.dockscript.pid=$$" --label "io.dockscript.host=$(hostname)")
RUN=(docker run -d --dns 127.0.0.1 "${LABELS[@]}")

cleanup() {
  local ids
  ids=$(docker ps -aq --filter "label=io.dockscript.session=$SESSION")
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
  ids=$(docker network ls -q --filter "label=io.dockscript.session=$SESSION")
  [ -z "$ids" ] || docker network rm $ids >/dev/null
}
trap cleanup EXIT

section() { printf '\n── %s · %s ──\n' "$1" "$2"; }
show() { printf '   %-28s %s\n' "$1" "$2"; }
check() { if ! eval "$1"; then echo "Assertion failed: $2." >&2; exit 2; fi; }
ip_of() { docker inspect -f '{{.NetworkSettings.IPAddress}}' "$1"; }
short_id() { docker inspect -f '{{.Config.Hostname}}' "$1"; }

docker version -f 'docker {{.Server.Version}}, API {{.Server.APIVersion}}'

section S1 "docker network ls: the default networks"
docker network ls
drivers=$(docker network inspect -f '{{.Driver}}' bridge host none | tr '\n' ' ')
check '[ "$drivers" = "bridge host null " ]' "bridge, host and none use the bridge, host and null drivers"

section S2 "bridge: containers on the same bridge talk to each other"
"${RUN[@]}" --name "${P}nginx1" dockscript/web >/dev/null
"${RUN[@]}" --name "${P}nginx2" dockscript/web >/dev/null
ip1=$(ip_of "${P}nginx1"); ip2=$(ip_of "${P}nginx2")
show "${P}nginx1" "$ip1"; show "${P}nginx2" "$ip2"
page=$(docker exec "${P}nginx1" wget -q -O - "http://$ip2/")
show "${P}nginx1 → http://$ip2/" "$page"
check '[ "$page" = "$(short_id "${P}nginx2")" ]' "nginx1 reaches nginx2 by IP and gets its hostname back"
docker exec "${P}nginx1" ping -c 2 "$ip2" | grep packets
hosts=$(docker exec "${P}nginx1" cat /etc/hosts)
resolv=$(docker exec "${P}nginx1" cat /etc/resolv.conf)
check '! grep -q "${P}nginx2" <<<"$hosts" && ! grep -q "127.0.0.11" <<<"$resolv"' "the default bridge gives no name resolution"

section S3 "docker stats: traffic counters"
docker stats --no-stream --format '{{.Name}} CPU {{.CPUPerc}} mem {{.MemUsage}} net {{.NetIO}}' "${P}nginx2"
rx=$(docker exec "${P}nginx2" cat /proc/net/dev | awk -F'[: ]+' '/eth0/ {print $3}')
show "${P}nginx2 eth0 rx" "$rx B"
check '[ "$rx" -gt 0 ]' "nginx2 has received bytes"

section S4 "--network host: the host's own stack"
"${RUN[@]}" --name "${P}hostweb" --network host dockscript/web sh -c 'hostname > /www/index.html && exec httpd -f -p 127.0.0.1:18182 -h /www' >/dev/null
hostip=$(ip_of "${P}hostweb"); ports=$(docker port "${P}hostweb")
check '[ -z "$hostip" ] && [ -z "$ports" ]' "a host-network container has no IP and no port mappings"
page=""
for _ in $(seq 20); do page=$(curl -fsS --max-time 1 http://127.0.0.1:18182/ 2>/dev/null || true); [ -n "$page" ] && break; sleep 0.1; done
show "host → http://127.0.0.1:18182/" "$page"
check '[ -n "$page" ]' "its server answers on the host's loopback"

section S5 "--network none: loopback only"
"${RUN[@]}" --name "${P}hermit" --network none dockscript/toolbox sleep 3600 >/dev/null
ifaces=$(docker exec "${P}hermit" ls /sys/class/net | tr '\n' ' ')
show "interfaces inside" "$ifaces"
check '[ "$ifaces" = "lo " ]' "a none container has only lo"
check '! docker exec "${P}hermit" ping -c 1 -W 1 "$ip1" >/dev/null 2>&1' "nothing leaves a none container"
nets=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "${P}nginx1")
check '[ "$nets" = "bridge " ]' "an unspecified network means the default bridge"

section S6 "finding a container's IP"
show "IP" "$ip1"
docker exec "${P}nginx1" ip -o -4 addr show
members=$(docker network inspect -f '{{range .Containers}}{{.Name}}={{.IPv4Address}} {{end}}' bridge)
check 'grep -q "${P}nginx1=$ip1/" <<<"$members"' "network inspect lists nginx1 with its IP"
check 'docker exec "${P}nginx1" ip -o -4 addr show | grep -q " $ip1/"' "the address inside matches inspect"

section S7 "IP masquerade"
masq=$(docker network inspect -f '{{index .Options "com.docker.network.bridge.enable_ip_masquerade"}}' bridge)
check '[ "$masq" = "true" ]' "outbound traffic from the bridge leaves with the host's IP"

section S11 "--link: a name in /etc/hosts"
"${RUN[@]}" --name "${P}nginx3" --link "${P}nginx1" dockscript/web >/dev/null
docker exec "${P}nginx3" cat /etc/hosts | grep "${P}nginx1"
page=$(docker exec "${P}nginx3" wget -q -O - "http://${P}nginx1/")
check '[ "$page" = "$(short_id "${P}nginx1")" ]' "the link writes nginx1's name into nginx3's /etc/hosts, so the name works"

section S12 "a user-defined network: names just work"
docker network create "${LABELS[@]}" "${P}my-network" >/dev/null
"${RUN[@]}" --name "${P}nginx4" --network "${P}my-network" dockscript/web >/dev/null
"${RUN[@]}" --name "${P}nginx5" --network "${P}my-network" dockscript/web >/dev/null
docker network inspect -f '{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}}' "${P}my-network"
page=$(docker exec "${P}nginx4" wget -q -O - "http://${P}nginx5/")
check '[ "$page" = "$(short_id "${P}nginx5")" ]' "containers on a user network reach each other by name"

section S13 "docker network connect / disconnect"
docker network connect "${P}my-network" "${P}nginx1"
joined=$(docker inspect -f "{{(index .NetworkSettings.Networks \"${P}my-network\").IPAddress}}" "${P}nginx1")
page=$(docker exec "${P}nginx4" wget -q -O - "http://${P}nginx1/")
check '[ "$page" = "$(short_id "${P}nginx1")" ]' "once connected, nginx4 reaches nginx1 by name"
docker network disconnect "${P}my-network" "${P}nginx1"
check '! docker exec "${P}nginx4" timeout 2 wget -q -O - "http://$joined/" >/dev/null 2>&1' "once disconnected, nginx1 is out of reach"
check '! docker network inspect -f "{{range .Containers}}{{.Name}} {{end}}" "${P}my-network" | grep -q "${P}nginx1 "' "nginx1 is no longer a member"

section S14 "DNS: Docker's embedded server"
check 'docker exec "${P}nginx4" cat /etc/resolv.conf | grep -q "nameserver 127.0.0.11"' "on a user network, 127.0.0.11 answers names"
check '! docker exec "${P}nginx2" cat /etc/resolv.conf | grep -q "nameserver 127.0.0.11"' "on the default bridge alone, the host's resolvers are copied in"
docker exec "${P}nginx1" cat /etc/resolv.conf | grep nameserver

printf '\nAll claims held.\n'
