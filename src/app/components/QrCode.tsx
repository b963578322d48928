import { createMemo } from 'solid-js';
import { encode } from 'uqr';

/**
 * A QR code as one SVG path (one square per dark module). Always dark on light, whatever the
 * theme: scanners need that contrast. Loaded lazily: uqr is not needed for the first paint.
 */
export function QrCode(props: { data: string; label: string }) {
  const qr = createMemo(() => {
    const { data, size } = encode(props.data, { ecc: 'M', border: 2 });
    let d = '';
    data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) d += `M${x} ${y}h1v1h-1z`;
      });
    });
    return { d, size };
  });
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${qr().size} ${qr().size}`}
      shape-rendering="crispEdges"
    >
      <rect width={qr().size} height={qr().size} fill="#fff" />
      <path d={qr().d} fill="#000" />
    </svg>
  );
}
