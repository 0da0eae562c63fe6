#!/usr/bin/env bash
# The kernel companion, built and tested for real in a QEMU guest running Debian's own 6.1 kernel
# (this machine's kernel cannot load modules, and KVM is not available: TCG).
#   1. installs what it needs from Debian: qemu-system-x86, busybox-static, cpio, gcc, make, xz-utils
#      and linux-headers-6.1.0-N-amd64, N the newest with a matching linux-image-…-unsigned;
#   2. fetches that kernel image with apt-get download and unpacks it with dpkg-deb -x into
#      /var/cache/pageatlas/kmod (PAGEATLAS_KMOD_CACHE; outside the tree, where `make clean`
#      cannot reach its .ko files); nothing is installed;
#   3. builds pageatlas.ko against the headers, the guest's static C checks and the specimen;
#   4. packs an initramfs: busybox, guest/init, the module, zram for swap, the checks, and the
#      native pageatlas (PAGEATLAS_NATIVE, else artifacts/native/pageatlas, published if missing);
#   5. boots twice: 4-level paging (the uncompressed vmlinux through PVH, which starts the kernel
#      without the decompressor that would switch LA57 on) and 5-level (the bzImage, -cpu max,la57=on);
#   6. while each guest serves the explorer (`pageatlas serve`, reached through QEMU's user network),
#      runs the Playwright test GuestPageTableTests here (tests/PageAtlas.LiveTests, built: --no-build)
#      against it: the page-table view shows each table at the physical address the module's walk gave;
#   7. prints the serial console and exits 0 only if every check in both guests passed, and the browser's.
set -euo pipefail
cd "$(dirname "$0")"
kmod=$PWD
cache=${PAGEATLAS_KMOD_CACHE:-/var/cache/pageatlas/kmod}
mkdir -p "$cache"
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }

# 1. packages
missing=()
command -v qemu-system-x86_64 > /dev/null || missing+=(qemu-system-x86)
dpkg -s busybox-static > /dev/null 2>&1 || missing+=(busybox-static)
command -v cpio > /dev/null || missing+=(cpio)
command -v gcc > /dev/null || missing+=(gcc libc6-dev)
command -v make > /dev/null || missing+=(make)
command -v xz > /dev/null || missing+=(xz-utils)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
newest_kernel() {
    # the newest 6.1.0-N-amd64 whose headers and unsigned image are both in apt's lists
    comm -12 <(apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-amd64$' | grep -oE '6\.1\.0-[0-9]+' | sort -u) \
             <(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' | grep -oE '6\.1\.0-[0-9]+' | sort -u) |
        sort -V | tail -1
}
version=${PAGEATLAS_KMOD_KERNEL:-$(newest_kernel)}
if [[ -z $version ]]; then
    apt_get update -qq
    version=$(newest_kernel)
fi
[[ -n $version ]] || { echo "kmod/test.sh: apt offers no linux-headers-6.1.0-N-amd64 with its image" >&2; exit 2; }
headers=/usr/src/linux-headers-$version-amd64
[[ -d $headers ]] || missing+=("linux-headers-$version-amd64")
if ((${#missing[@]})); then
    echo "kmod/test.sh: installing ${missing[*]}" >&2
    apt_get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null ||
        { apt_get update -qq && apt_get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null; }
fi

# 2. the kernel image, unpacked (not installed)
kernel=$cache/kernel-$version
if [[ ! -f $kernel/vmlinux || ! -d $kernel/lib/modules ]]; then
    rm -rf "$kernel" "$cache/download" && mkdir -p "$cache/download"
    (cd "$cache/download" && apt_get download -q "linux-image-$version-amd64-unsigned" > /dev/null 2>&1)
    dpkg-deb -x "$cache"/download/linux-image-*.deb "$kernel.partial"
    # the bzImage's payload is xz (CONFIG_KERNEL_XZ): the ELF vmlinux inside boots through PVH
    bzimage=$kernel.partial/boot/vmlinuz-$version-amd64
    offset=$(grep -abo $'\xfd7zXZ\x00' "$bzimage" | head -1 | cut -d: -f1)
    tail -c +$((offset + 1)) "$bzimage" | xz -dc 2> /dev/null > "$kernel.partial/vmlinux" || true
    [[ -s $kernel.partial/vmlinux ]] || { echo "kmod/test.sh: no vmlinux in $bzimage" >&2; exit 2; }
    rm -rf "$cache/download"
    mv "$kernel.partial" "$kernel"
fi

# 3. the module and the guest's programs
build=$(mktemp -d /tmp/pageatlas-kmod.XXXXXXXX)
trap 'rm -rf "$build"' EXIT
cp -r "$kmod"/Kbuild "$kmod"/Makefile "$kmod"/*.c "$kmod"/*.h "$build"/
make -s -C "$headers" M="$build" modules > "$build/make.log" 2>&1 || { cat "$build/make.log"; exit 1; }
root=$build/root
mkdir -p "$root"/{bin,modules,proc,sys,dev,tmp}
cp /bin/busybox "$root/bin/"
cp "$kmod/guest/init" "$root/init"
cp "$build/pageatlas.ko" "$root/"
for module in mm/zsmalloc.ko drivers/block/zram/zram.ko drivers/net/ethernet/intel/e1000/e1000.ko; do
    cp "$kernel/lib/modules/$version-amd64/kernel/$module" "$root/modules/"
done
for program in kcheck kcore-walk; do
    gcc -O2 -Wall -Wextra -Werror -static -o "$root/bin/$program" "$kmod/guest/$program.c"
done
gcc -O2 -Wall -Wextra -pthread -Wl,-z,now -static -o "$root/bin/layout" ../specimens/layout.c
# 4. the native pageatlas (NativeAOT) and the few libraries it links (libc, libm, the loader…)
native=${PAGEATLAS_NATIVE:-$kmod/../artifacts/native/pageatlas}
[[ -x $native ]] || ../scripts/publish-native.sh
cp "$native" "$root/bin/pageatlas"
for library in $(ldd "$native" | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$build/initramfs.gz"

# The browser's test runs here, from the live tests' Release build (scripts/test.sh builds them first).
repo=$(cd "$kmod/.." && pwd)
[[ -f $repo/tests/PageAtlas.LiveTests/bin/Release/net10.0/PageAtlas.LiveTests.dll ]] ||
    dotnet build "$repo/tests/PageAtlas.LiveTests" -c Release --nologo -v quiet

# A local TCP port no one listens on (QEMU forwards it to the same port in the guest, so the explorer's
# URL is the same on both sides: its Host check and its cookie's name hold).
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
    done
    echo "kmod/test.sh: no free port found" >&2
    return 1
}

# browser NAME LEVELS LOG PORT TOKEN GUEST: waits (while the guest runs) for its KMOD-SERVE-READY, runs
# the Playwright test against it with the module's tables (the KMOD-TABLE lines), and tells the guest
# the verdict on its second serial port. Fails if the guest never served or the test did not pass.
browser() {
    local name=$1 levels=$2 log=$3 port=$4 token=$5 guest=$6 ready verdict=failed
    until grep -qsE '^(KMOD-SERVE-READY|KMOD-STATUS)' "$log"; do
        kill -0 "$guest" 2> /dev/null || break
        sleep 1
    done
    ready=$(grep -m1 '^KMOD-SERVE-READY' "$log") || { echo "kmod: the $name guest did not serve the explorer"; return 1; }
    local started=$SECONDS result=$build/browser-$name.log
    if PAGEATLAS_GUEST_URL="http://127.0.0.1:$port/?token=$token" PAGEATLAS_GUEST_LEVELS=$levels \
        PAGEATLAS_GUEST_PID=$(echo "$ready" | grep -oE 'pid=[0-9]+' | cut -d= -f2) \
        PAGEATLAS_GUEST_RANGE=$(echo "$ready" | grep -oE 'range=[^ ]+' | cut -d= -f2) \
        PAGEATLAS_GUEST_TABLES=$(grep '^KMOD-TABLE ' "$log" | cut -d' ' -f2- | paste -sd';') \
        timeout 280 dotnet test "$repo/tests/PageAtlas.LiveTests" -c Release --no-build --nologo \
            --filter 'FullyQualifiedName~GuestPageTableTests' > "$result" 2>&1 &&
        grep -qE 'Failed: +0, Passed: +1, Skipped: +0' "$result"; then
        verdict=passed
    fi
    echo "kmod: the $name guest's page-table view in chromium ($((SECONDS - started)) s): $verdict"
    [[ $verdict == passed ]] || grep -vE '^\s+at ' "$result" | tail -40
    timeout 10 sh -c "echo $verdict > '$build/control-$name.in'" || echo "kmod: the $name guest's control port is gone"
    [[ $verdict == passed ]]
}

# 5. boot, once per paging mode
status=0
boot() {   # boot NAME LEVELS KERNEL CPU
    local log=$build/guest-$1.log port token guest started=$SECONDS
    port=$(free_port)
    token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    mkfifo "$build/control-$1.in" "$build/control-$1.out"
    echo "=== kmod: $1 guest ($2-level paging, $version) ==="
    # stdbuf: the serial console reaches the log line by line, as the browser's wait reads it.
    # watchdog_thresh=60 (the most): the soft-lockup report ("BUG: soft lockup", which the kernel-log
    # check fails on) comes after 120 s, not 20 s. A TCG guest's clock is the host's, so a host too
    # loaded to run QEMU for 20 s would look like a CPU stuck in the kernel; a module that really
    # hangs still fails: every check waits for its command, and QEMU is killed after 600 s.
    timeout 600 qemu-system-x86_64 -accel tcg -cpu "$4" -m 2560M -nographic -no-reboot \
        -kernel "$3" -initrd "$build/initramfs.gz" \
        -netdev "user,id=net,hostfwd=tcp:127.0.0.1:$port-:$port" -device e1000,netdev=net \
        -serial mon:stdio -serial "pipe:$build/control-$1" \
        -append "console=ttyS0 hugepagesz=1G hugepages=1 panic=-1 quiet watchdog_thresh=60 pageatlas_levels=$2 pageatlas_serve_port=$port pageatlas_token=$token" < /dev/null |
        stdbuf -oL tr -d '\r' | tee "$log" &
    guest=$!
    browser "$1" "$2" "$log" "$port" "$token" "$guest" || status=1
    wait "$guest" || true
    cp "$log" "$cache/guest-$1.log"
    echo "kmod: the $1 guest ran $((SECONDS - started)) s"
    if ! grep -q '^KMOD-STATUS 0$' "$log"; then
        grep -q '^KMOD-STATUS' "$log" || echo "kmod: the $1 guest did not finish its checks"
        status=1
    fi
}
boot four-level 4 "$kernel/vmlinux" max,la57=off
boot five-level 5 "$kernel/boot/vmlinuz-$version-amd64" max,la57=on
echo "kmod: $( ((status == 0)) && echo "every check passed in both guests" || echo "FAILED")"
exit $status
