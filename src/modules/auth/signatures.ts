// RFC 9421 HTTP Message Signatures for exchange-zone clients, with RFC 9530 Content-Digest. Pure functions:
// parse and check a request's signature headers, build the signature base, and sign (for our CLI and tests).
import { randomBytes } from 'node:crypto';
import {
  type BareItem,
  type InnerList,
  type Item,
  type Parameters,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
} from 'structured-headers';
import { type SignatureAlg, sha256, signBytes, verifyBytes } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';

export const SIGNATURE_LABEL = 'sig1';
export const MAX_SIGNATURE_AGE_SECONDS = 300;
export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['ed25519', 'sm2-sm3'];

export interface RequestParts {
  readonly method: string;
  /** The absolute URI the client sent the request to (scheme, authority, path and query). */
  readonly targetUri: string;
  readonly header: (name: string) => string | undefined;
  /** The raw body bytes, or undefined when the request has no body. */
  readonly body: Buffer | undefined;
}

export interface ParsedSignature {
  readonly components: readonly string[];
  readonly created: number;
  readonly nonce: string;
  readonly keyId: string;
  readonly alg: string;
  readonly signature: Buffer;
  readonly serializedParams: string;
}

const bad = (code: string, message: string) => new AppError(`signature.${code}`, 401, message);

function isInnerList(member: Item | InnerList): member is InnerList {
  return Array.isArray(member[0]);
}

function param(params: Parameters, name: string, type: 'string' | 'number'): string | number {
  const value = params.get(name);
  if (typeof value !== type) throw bad('malformed', `Signature-Input parameter '${name}' is missing or not a ${type}`);
  return value as string | number;
}

/** Parses Signature-Input and Signature for our label; throws a 401 AppError naming what is wrong. */
export function parseSignatureHeaders(
  signatureInput: string | undefined,
  signatureHeader: string | undefined,
): ParsedSignature {
  if (!signatureInput || !signatureHeader) {
    throw bad('missing', 'Sign the request (RFC 9421): Signature-Input and Signature headers are required');
  }
  let inputs: Map<string, Item | InnerList>;
  let signatures: Map<string, Item | InnerList>;
  try {
    inputs = parseDictionary(signatureInput);
    signatures = parseDictionary(signatureHeader);
  } catch {
    throw bad('malformed', 'Signature-Input or Signature is not a valid structured-field dictionary');
  }
  const input = inputs.get(SIGNATURE_LABEL);
  const sig = signatures.get(SIGNATURE_LABEL);
  if (!input || !sig) throw bad('malformed', `Use the signature label '${SIGNATURE_LABEL}'`);
  if (!isInnerList(input)) throw bad('malformed', 'Signature-Input member must be an inner list of components');
  if (isInnerList(sig) || !(sig[0] instanceof ArrayBuffer))
    throw bad('malformed', 'Signature member must be a byte sequence');
  const components = input[0].map(([name, params]) => {
    if (typeof name !== 'string' || params.size > 0)
      throw bad('malformed', 'Component identifiers must be plain strings');
    return name.toLowerCase();
  });
  const params = input[1];
  return {
    components,
    created: param(params, 'created', 'number') as number,
    nonce: param(params, 'nonce', 'string') as string,
    keyId: param(params, 'keyid', 'string') as string,
    alg: param(params, 'alg', 'string') as string,
    signature: Buffer.from(sig[0]),
    serializedParams: serializeInnerList(input),
  };
}

function componentValue(name: string, parts: RequestParts): string {
  const url = new URL(parts.targetUri);
  switch (name) {
    case '@method':
      return parts.method.toUpperCase();
    case '@target-uri':
      return parts.targetUri;
    case '@authority':
      return url.host.toLowerCase();
    case '@scheme':
      return url.protocol.slice(0, -1).toLowerCase();
    case '@path':
      return url.pathname;
    case '@query':
      return url.search || '?';
    case '@request-target':
      return `${url.pathname}${url.search}`;
  }
  if (name.startsWith('@')) throw bad('malformed', `Unsupported derived component ${name}`);
  const value = parts.header(name);
  if (value === undefined) throw bad('malformed', `Covered header ${name} is not in the request`);
  return value.trim();
}

/** The signature base of RFC 9421 §2.5. */
export function signatureBase(components: readonly string[], serializedParams: string, parts: RequestParts): string {
  const lines = components.map((c) => `"${c}": ${componentValue(c, parts)}`);
  lines.push(`"@signature-params": ${serializedParams}`);
  return lines.join('\n');
}

/** RFC 9530 Content-Digest with sha-256. */
export function contentDigest(body: Uint8Array): string {
  return serializeDictionary({ 'sha-256': [new Uint8Array(sha256(body)), new Map()] });
}

/** Checks a Content-Digest header against the body; throws when it is missing, unsupported or wrong. */
export function checkContentDigest(header: string | undefined, body: Buffer): void {
  if (!header) throw bad('digest_missing', 'A request with a body must carry Content-Digest (RFC 9530, sha-256)');
  let dict: Map<string, Item | InnerList>;
  try {
    dict = parseDictionary(header);
  } catch {
    throw bad('digest_malformed', 'Content-Digest is not a valid structured-field dictionary');
  }
  const member = dict.get('sha-256');
  if (!member || isInnerList(member) || !(member[0] instanceof ArrayBuffer)) {
    throw bad('digest_malformed', 'Content-Digest must include sha-256');
  }
  if (!sha256(body).equals(Buffer.from(member[0])))
    throw bad('digest_mismatch', 'Content-Digest does not match the body');
}

/** Checks that the signature covers what we require and is fresh; the cryptographic check is the caller's. */
export function checkSignaturePolicy(parsed: ParsedSignature, hasBody: boolean, nowSeconds: number): void {
  for (const required of ['@method', '@target-uri', ...(hasBody ? ['content-digest'] : [])]) {
    if (!parsed.components.includes(required)) throw bad('insufficient', `The signature must cover "${required}"`);
  }
  if (!(SIGNATURE_ALGS as readonly string[]).includes(parsed.alg)) {
    throw bad('unsupported_alg', `alg must be one of ${SIGNATURE_ALGS.join(', ')}`);
  }
  if (!Number.isInteger(parsed.created) || Math.abs(nowSeconds - parsed.created) > MAX_SIGNATURE_AGE_SECONDS) {
    throw bad('expired', `The signature was created more than ${MAX_SIGNATURE_AGE_SECONDS} s from the server's time`);
  }
  if (parsed.nonce.length < 8 || parsed.nonce.length > 128) throw bad('malformed', 'nonce must be 8 to 128 characters');
}

export interface SignOptions {
  readonly method: string;
  readonly url: string;
  readonly body?: Uint8Array | undefined;
  readonly keyId: string;
  readonly alg: SignatureAlg;
  readonly privateKey: string;
  readonly created?: number;
  readonly nonce?: string;
}

/** Signs a request the way we require; returns the headers to add. Used by our CLI, tests and docs. */
export function signRequest(options: SignOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const components = ['@method', '@target-uri'];
  if (options.body !== undefined) {
    headers['content-digest'] = contentDigest(options.body);
    components.push('content-digest');
  }
  const params = new Map<string, BareItem>([
    ['created', options.created ?? Math.floor(Date.now() / 1000)],
    ['nonce', options.nonce ?? randomBytes(16).toString('base64url')],
    ['keyid', options.keyId],
    ['alg', options.alg],
  ]);
  const innerList: InnerList = [components.map((c) => [c, new Map()] as Item), params];
  const serializedParams = serializeInnerList(innerList);
  const base = signatureBase(components, serializedParams, {
    method: options.method,
    targetUri: options.url,
    header: (name) => headers[name],
    body: options.body ? Buffer.from(options.body) : undefined,
  });
  const signature = signBytes(options.alg, options.privateKey, Buffer.from(base, 'utf8'));
  headers['signature-input'] = `${SIGNATURE_LABEL}=${serializedParams}`;
  headers.signature = serializeDictionary({ [SIGNATURE_LABEL]: [new Uint8Array(signature), new Map()] });
  return headers;
}

// ---- responses (RFC 9421 §2.2.9 @status): the exchange node signs every response it sends ----

export interface ResponseParts {
  readonly status: number;
  readonly header: (name: string) => string | undefined;
}

function responseBase(components: readonly string[], serializedParams: string, parts: ResponseParts): string {
  const lines = components.map((c) => {
    if (c === '@status') return `"@status": ${parts.status}`;
    const value = parts.header(c);
    if (value === undefined) throw bad('malformed', `Covered header ${c} is not in the response`);
    return `"${c}": ${value.trim()}`;
  });
  lines.push(`"@signature-params": ${serializedParams}`);
  return lines.join('\n');
}

/**
 * Signs a response over @status and the given headers (which must be present); returns the two signature headers.
 */
export function signResponse(options: {
  readonly parts: ResponseParts;
  readonly components: readonly string[];
  readonly keyId: string;
  readonly alg: SignatureAlg;
  readonly privateKey: string;
  readonly created?: number;
}): { 'signature-input': string; signature: string } {
  const components = ['@status', ...options.components];
  const params = new Map<string, BareItem>([
    ['created', options.created ?? Math.floor(Date.now() / 1000)],
    ['keyid', options.keyId],
    ['alg', options.alg],
  ]);
  const serializedParams = serializeInnerList([components.map((c) => [c, new Map()] as Item), params]);
  const base = responseBase(components, serializedParams, options.parts);
  const signature = signBytes(options.alg, options.privateKey, Buffer.from(base, 'utf8'));
  return {
    'signature-input': `${SIGNATURE_LABEL}=${serializedParams}`,
    signature: serializeDictionary({ [SIGNATURE_LABEL]: [new Uint8Array(signature), new Map()] }),
  };
}

/** For clients and tests: checks a signed response against the node's public key; returns the covered components. */
export function verifyResponse(parts: ResponseParts, alg: SignatureAlg, publicKey: string): readonly string[] {
  const inputs = parseDictionary(parts.header('signature-input') ?? '');
  const sigs = parseDictionary(parts.header('signature') ?? '');
  const input = inputs.get(SIGNATURE_LABEL);
  const sig = sigs.get(SIGNATURE_LABEL);
  if (!input || !sig || !isInnerList(input) || isInnerList(sig) || !(sig[0] instanceof ArrayBuffer)) {
    throw bad('malformed', 'The response is not signed');
  }
  const components = input[0].map(([name]) => String(name));
  const base = responseBase(components, serializeInnerList(input), parts);
  if (!verifyBytes(alg, publicKey, Buffer.from(base, 'utf8'), Buffer.from(sig[0]))) {
    throw bad('invalid', 'The response signature does not verify');
  }
  return components;
}
