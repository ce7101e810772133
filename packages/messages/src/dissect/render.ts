// Presentation of decoded values: an indented text tree, and JSON with numbers+names for enums
// and hex for bytes. Which enum a number belongs to is known from its field name, since every
// codec in this package uses the RFC's field names.
import { AlertDescription, AlertLevel } from '../registry/alert.js';
import { CipherSuite } from '../registry/cipher-suite.js';
import { ContentType } from '../registry/content-type.js';
import { ExtensionType } from '../registry/extension-type.js';
import { HandshakeType } from '../registry/handshake-type.js';
import {
  CertificateStatusType,
  ClientCertificateType,
  CompressionMethod,
  ECCurveType,
  ECPointFormat,
  KeyUpdateRequest,
  MaxFragmentLength,
  NameType,
  PskKeyExchangeMode,
} from '../registry/misc.js';
import { NamedGroup } from '../registry/named-group.js';
import { enumName, type NumericEnum } from '../registry/names.js';
import { ProtocolVersion } from '../registry/protocol-version.js';
import { SignatureScheme } from '../registry/signature-scheme.js';

/** Field name -> [enum, hex digits of the wire field]. */
const ENUM_FIELDS: Record<string, [NumericEnum, number]> = {
  type: [ContentType, 2],
  msgType: [HandshakeType, 2],
  level: [AlertLevel, 2],
  description: [AlertDescription, 2],
  version: [ProtocolVersion, 4],
  legacyVersion: [ProtocolVersion, 4],
  clientVersion: [ProtocolVersion, 4],
  selectedVersion: [ProtocolVersion, 4],
  versions: [ProtocolVersion, 4],
  cipherSuites: [CipherSuite, 4],
  cipherSuite: [CipherSuite, 4],
  legacyCompressionMethods: [CompressionMethod, 2],
  legacyCompressionMethod: [CompressionMethod, 2],
  extensionType: [ExtensionType, 4],
  namedGroupList: [NamedGroup, 4],
  group: [NamedGroup, 4],
  selectedGroup: [NamedGroup, 4],
  namedCurve: [NamedGroup, 4],
  supportedSignatureAlgorithms: [SignatureScheme, 4],
  algorithm: [SignatureScheme, 4],
  ecPointFormatList: [ECPointFormat, 2],
  keModes: [PskKeyExchangeMode, 2],
  requestUpdate: [KeyUpdateRequest, 2],
  nameType: [NameType, 2],
  maxFragmentLength: [MaxFragmentLength, 2],
  statusType: [CertificateStatusType, 2],
  certificateTypes: [ClientCertificateType, 2],
  curveType: [ECCurveType, 2],
};

/** Bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function enumOf(key: string | undefined): [NumericEnum, number] | undefined {
  return key === undefined ? undefined : ENUM_FIELDS[key];
}

/** The display name and hex code of an enum field's value, e.g. "TLS_AES_128_GCM_SHA256 (0x1301)". */
export function describeEnum(key: string, code: number): string | undefined {
  const e = enumOf(key);
  if (e === undefined) return undefined;
  return `${enumName(e[0], code, e[1])} (0x${code.toString(16).padStart(e[1], '0')})`;
}

/**
 * A JSON-ready copy of a decoded value: enum fields become `{ value, name }`, bytes become hex
 * strings, everything else keeps its shape.
 */
export function toJson(value: unknown, key?: string): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'number') {
    const e = enumOf(key);
    return e === undefined ? value : { value, name: enumName(e[0], value, e[1]) };
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, k);
    return out;
  }
  return value;
}

const BYTES_SHOWN = 32;

function scalar(value: unknown, key: string | undefined): string {
  if (value instanceof Uint8Array) {
    if (value.length === 0) return '(empty)';
    const hex = toHex(value.subarray(0, BYTES_SHOWN));
    return value.length > BYTES_SHOWN ? `${hex}… (${value.length} bytes)` : `${hex} (${value.length} bytes)`;
  }
  if (typeof value === 'number') return (key !== undefined && describeEnum(key, value)) || String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function isScalar(value: unknown): boolean {
  return value instanceof Uint8Array || typeof value !== 'object' || value === null;
}

/** An extension reads best as its name with its body under it. */
function isExtension(
  item: unknown,
): item is { extensionType: number; extensionData: unknown; unknown?: true } {
  return typeof item === 'object' && item !== null && 'extensionType' in item && 'extensionData' in item;
}

/**
 * One line of the tree of a decoded value and the lines under it: what `treeLines` prints, as data
 * for other displays (a collapsible tree in a web page).
 */
export interface TreeNode {
  /**
   * "cipherSuite: TLS_AES_128_GCM_SHA256 (0x1301)", "extensions: (9)", a list element's value, an
   * extension's name. Empty for a list element that is a structure: its fields are its children.
   */
  readonly label: string;
  /** An element of a list (treeLines shows it as "- "). */
  readonly item: boolean;
  readonly children: readonly TreeNode[];
}

const node = (label: string, children: readonly TreeNode[] = [], item = false): TreeNode => ({
  label,
  item,
  children,
});

const isEmptyNode = (n: TreeNode) => n.label === '(empty)' && !n.item && n.children.length === 0;

/** The tree of a decoded value: one node per field, list element or extension. */
export function treeNodes(value: unknown, key?: string): TreeNode[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [node('(none)')];
    return value.map((item) => {
      if (isScalar(item)) return node(scalar(item, key), [], true);
      if (isExtension(item)) {
        const raw = item.unknown === true ? ' (not decoded)' : '';
        const body = treeNodes(item.extensionData);
        const shown = body.length === 1 && isEmptyNode(body[0]!) ? [] : body;
        return node(`${describeEnum('extensionType', item.extensionType)}${raw}`, shown, true);
      }
      return node('', treeNodes(item, key), true);
    });
  }
  if (isScalar(value)) return [node(scalar(value, key))];
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return [node('(empty)')];
  return entries.map(([k, v]) => {
    if (isScalar(v)) return node(`${k}: ${scalar(v, k)}`);
    if (Array.isArray(v) && v.length === 0) return node(`${k}: (none)`);
    if (Array.isArray(v)) return node(`${k}: (${v.length})`, treeNodes(v, k));
    return node(`${k}:`, treeNodes(v, k));
  });
}

function nodeLines(nodes: readonly TreeNode[], indent: string): string[] {
  const lines: string[] = [];
  for (const n of nodes) {
    if (!n.item) lines.push(`${indent}${n.label}`, ...nodeLines(n.children, `${indent}  `));
    else if (n.label !== '') lines.push(`${indent}- ${n.label}`, ...nodeLines(n.children, `${indent}    `));
    else {
      // A structure in a list: its first field on the "- " line, the others under it.
      const inner = nodeLines(n.children, `${indent}  `);
      lines.push(`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    }
  }
  return lines;
}

/** Lines of an indented tree for a decoded value (one field per line, arrays as "- " items). */
export function treeLines(value: unknown, indent = '', key?: string): string[] {
  return nodeLines(treeNodes(value, key), indent);
}
