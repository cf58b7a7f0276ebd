#!/usr/bin/env bash
# CUPS with a virtual printer for the print-queue tests (tests/printing/test_cups_e2e.py).
# The queue `repairdesk-test` is a real CUPS-PDF printer: jobs run through the CUPS filter chain
# and land as PDF files in /var/spool/cups-pdf-repairdesk/ (per-queue cups-pdf configuration, so
# the system's own cups-pdf.conf is left alone). fonts-wqy-zenhei is the CJK font the PDF
# renderer embeds (smaller than fonts-noto-cjk), fonts-dejavu-core its Latin face; poppler-utils
# gives pdftotext/pdfinfo/pdftoppm to check what arrived; zbar-tools reads the QR code back.
# Idempotent: installs nothing when the packages are there, safe to run again.
set -euo pipefail

PRINTER=repairdesk-test
OUT=/var/spool/cups-pdf-repairdesk

need=()
for cmd in cupsd lp lpstat lpadmin cupsenable pdftotext zbarimg; do
    command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd")
done
[ -e /usr/lib/cups/backend/cups-pdf ] || need+=(cups-pdf)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(font)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(latin-font)
# the tests run this script to restart cupsd after a reboot; they never install anything
if [ "${#need[@]}" -gt 0 ] && [ -z "${REPAIRDESK_CUPS_NO_INSTALL:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends cups cups-client cups-bsd \
        printer-driver-cups-pdf poppler-utils fonts-wqy-zenhei fonts-dejavu-core zbar-tools >/dev/null
fi

mkdir -p "$OUT"
chmod 1777 "$OUT"
cat > "/etc/cups/cups-pdf-${PRINTER}.conf" <<CONF
Out ${OUT}
Label 1
TitlePref 1
AnonDirName ${OUT}
UserUMask 0000
CONF

# No systemd in containers: start the scheduler ourselves unless it is already answering.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    mkdir -p /run/cups
    cupsd
    for _ in $(seq 1 50); do
        lpstat -r 2>/dev/null | grep -q "is running" && break
        sleep 0.2
    done
fi
lpstat -r

if ! lpstat -p "$PRINTER" >/dev/null 2>&1; then
    ppd="$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -1)"
    lpadmin -p "$PRINTER" -E -v "cups-pdf:/${PRINTER}" -P "$ppd"
fi
# Render through pdftocairo rather than Ghostscript: the PDF that arrives keeps real text (the
# Ghostscript path turns CJK glyphs into Type 3 shapes that pdftotext cannot read back).
lpadmin -p "$PRINTER" -o pdftops-renderer-default=pdftocairo
cupsenable "$PRINTER"
cupsaccept "$PRINTER"
lpstat -p "$PRINTER"
echo "cups ready: printer ${PRINTER}, output in ${OUT}"
