# Time: file timestamps set and read back, date arithmetic in UTC, the guest's clock against the
# host's, sleeping, and ordering by modification time.

bb mkdir stamps
bb touch -d '2021-03-04 05:06:07' stamps/old
bb touch -d '2024-02-29 23:59:59' stamps/new
bb touch -r stamps/old stamps/copy-of-old
bb stat -c '%n %Y %y' stamps/old stamps/new stamps/copy-of-old
bb ls -t stamps
bb ls -tr stamps
bb test stamps/new -nt stamps/old && echo "new is newer"
bb test stamps/old -ot stamps/new && echo "old is older"
bb find stamps -newer stamps/old | bb sort
bb date -u -r stamps/new '+%Y-%m-%d %H:%M:%S %a %j %s'

bb date -u -d @0 '+%F %T'
bb date -u -d @1700000000 '+%A %d %B %Y %T %Z'
bb date -u -d '2000-02-28 12:00:00' '+%s %u %U'
bb date -u -D '%d/%m/%Y %H:%M' -d '31/12/1999 23:59' '+%s'
bb date -u -d @2147483648 '+%F %T'
bb date -u -d 'not a date'
echo "bad date rc=$?"

# The guest's clock reads the host's: within a few seconds of the host's own date.
guest=$(bb date -u +%s)
host=$(date -u +%s)
if [ $((host - guest)) -ge 0 ] && [ $((host - guest)) -le 5 ]; then echo "clock agrees"; else echo "clock off: guest $guest host $host"; fi

# A fresh file's mtime is now, and a sleep really passes time.
bb touch stamps/now
now=$(bb stat -c %Y stamps/now)
if [ $((host - now)) -le 5 ] && [ $((now - host)) -le 5 ]; then echo "touch stamps now"; else echo "touch: $now vs $host"; fi
before=$(date +%s%N)
bb sleep 0.3
after=$(date +%s%N)
if [ $(((after - before) / 1000000)) -ge 300 ]; then echo "slept at least 300 ms"; else echo "sleep too short"; fi
bb usleep 1000 && echo "usleep rc=0"
bb sleep x
echo "sleep bad rc=$?"

bb cal 2 2024
bb cal 9 1752
