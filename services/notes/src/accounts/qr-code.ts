import QRCode from 'qrcode';

/** An otpauth:// URI as an SVG QR code, made here (no third-party service ever sees the secret). */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** A base32 key in groups of four, as people type it. */
export const groupKey = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();
