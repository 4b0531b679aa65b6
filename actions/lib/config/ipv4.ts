/** IPv4 address and CIDR arithmetic for config validation and address planning. */

export interface Cidr {
  network: number;
  prefix: number;
  /** first and last address of the block (network and broadcast for prefixes < 31) */
  first: number;
  last: number;
}

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
export const IPV4_PATTERN = `^${OCTET}(\\.${OCTET}){3}$`;
export const CIDR_PATTERN = `^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?\\d)$`;

export function parseIp(text: string): number | undefined {
  if (!new RegExp(IPV4_PATTERN).test(text)) return undefined;
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, prefixText] = text.split("/");
  if (!ip || prefixText === undefined || !new RegExp(CIDR_PATTERN).test(text)) return undefined;
  const address = parseIp(ip);
  if (address === undefined) return undefined;
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  return { network, prefix, first: network, last: network + size - 1 };
}

/** True when the address has host bits set (`10.0.20.5/24` instead of `10.0.20.0/24`). */
export function hasHostBits(text: string): boolean {
  const cidr = parseCidr(text);
  const ip = parseIp(text.split("/")[0] ?? "");
  return cidr !== undefined && ip !== undefined && ip !== cidr.network;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.network)}/${cidr.prefix}`;
}

export function contains(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.first && ip <= cidr.last;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Usable host range: excludes network and broadcast addresses for prefixes below /31. */
export function hostRange(cidr: Cidr): { first: number; last: number } {
  return cidr.prefix >= 31
    ? { first: cidr.first, last: cidr.last }
    : { first: cidr.first + 1, last: cidr.last - 1 };
}

export interface IpRange {
  start: number;
  end: number;
}

export const IP_RANGE_PATTERN = `^${OCTET}(\\.${OCTET}){3}-${OCTET}(\\.${OCTET}){3}$`;

export function parseIpRange(text: string): IpRange | undefined {
  const [a, b] = text.split("-");
  const start = parseIp(a ?? "");
  const end = parseIp(b ?? "");
  return start === undefined || end === undefined ? undefined : { start, end };
}
