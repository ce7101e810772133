// X.501 Names (RFC 5280 §4.1.2.4) with their RFC 4514 string form. Names are compared by DER
// equality (the signed bytes), never by their printed form.

import { bytesEqual, toHex } from '@tls-kit/crypto/bytes';
import { type DerElement, DerReader, decodeString, encodingOf, isStringTag, Tag } from '@tls-kit/crypto/der';
import { CertificateParseError, certificateDerError } from './errors.js';
import { attributeShortNames } from './oids.js';

export interface AttributeTypeAndValue {
  /** Attribute type OID, e.g. '2.5.4.3'. */
  readonly type: string;
  /** RFC 4514 short name ('CN', 'O', ...) when there is one. */
  readonly shortName: string | undefined;
  /** The decoded text for string-typed values, undefined for other ASN.1 types. */
  readonly value: string | undefined;
  /** Full DER encoding of the value. */
  readonly valueDer: Uint8Array;
}

export interface RelativeDistinguishedName {
  readonly attributes: readonly AttributeTypeAndValue[];
  /** DER of the RDN (the SET), for prefix comparisons in name constraints. */
  readonly der: Uint8Array;
}

export class Name {
  private constructor(
    /** The DER encoding of the Name (a SEQUENCE OF RDN). */
    readonly der: Uint8Array,
    readonly rdns: readonly RelativeDistinguishedName[],
  ) {}

  static fromElement(el: DerElement): Name {
    const reader = DerReader.inside(el);
    const rdns: RelativeDistinguishedName[] = [];
    while (!reader.done) {
      const setEl = reader.expect(Tag.SET, 'RelativeDistinguishedName');
      const set = DerReader.inside(setEl);
      const attributes: AttributeTypeAndValue[] = [];
      while (!set.done) {
        const atv = set.enter(Tag.SEQUENCE, 'AttributeTypeAndValue');
        const type = atv.oid('attribute type');
        const valueEl = atv.read();
        atv.finish('AttributeTypeAndValue');
        attributes.push({
          type,
          shortName: attributeShortNames[type],
          value: isStringTag(valueEl.tag) ? decodeString(valueEl) : undefined,
          valueDer: encodingOf(valueEl),
        });
      }
      if (attributes.length === 0)
        throw new CertificateParseError('empty RelativeDistinguishedName', setEl.offset);
      rdns.push({ attributes, der: encodingOf(setEl) });
    }
    return new Name(encodingOf(el), rdns);
  }

  static fromDer(der: Uint8Array): Name {
    const reader = new DerReader(der, certificateDerError);
    const el = reader.expect(Tag.SEQUENCE, 'Name');
    reader.finish('Name');
    return Name.fromElement(el);
  }

  /** DER equality: how RFC 5280 path building must compare issuer and subject. */
  equals(other: Name): boolean {
    return bytesEqual(this.der, other.der);
  }

  /** Values of every attribute of this type, given as an OID or a short name ('CN'). */
  get(type: string): string[] {
    const out: string[] = [];
    for (const rdn of this.rdns) {
      for (const atv of rdn.attributes) {
        if ((atv.type === type || atv.shortName === type) && atv.value !== undefined) out.push(atv.value);
      }
    }
    return out;
  }

  get commonName(): string | undefined {
    return this.get('CN')[0];
  }

  /** RFC 4514 §2: RDNs last-to-first, joined by ','; multi-valued RDNs joined by '+'. */
  toString(): string {
    return this.rdns
      .map((rdn) => rdn.attributes.map(formatAttribute).join('+'))
      .reverse()
      .join(',');
  }
}

function formatAttribute(atv: AttributeTypeAndValue): string {
  // §2.4: dotted types, and values that are not strings, use the '#' hex form of the value's DER.
  if (atv.shortName === undefined || atv.value === undefined) {
    return `${atv.shortName ?? atv.type}=#${toHex(atv.valueDer)}`;
  }
  return `${atv.shortName}=${escapeValue(atv.value)}`;
}

/** RFC 4514 §2.4 escaping. */
export function escapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (
      '"+,;<>\\'.includes(ch) ||
      (i === 0 && (ch === '#' || ch === ' ')) ||
      (i === value.length - 1 && ch === ' ')
    ) {
      out += `\\${ch}`;
    } else if (ch === '\0') {
      out += '\\00';
    } else {
      out += ch;
    }
  }
  return out;
}
