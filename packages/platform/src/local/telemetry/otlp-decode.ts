import { join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * Reads OTLP/HTTP export requests, both encodings, against the OpenTelemetry protocol's own
 * definitions (packages/platform/proto: opentelemetry-proto v1.11.0, unchanged): a binary
 * body (`application/x-protobuf`) is decoded with protobufjs; a JSON body (`application/json`,
 * OTLP's JSON mapping: lowerCamelCase fields, hex trace and span ids, enums as numbers) is
 * refused when a field is one the definitions do not have, then read through the same types.
 * Both give the same object: the JSON mapping's shape, 64-bit integers as decimal strings.
 */

export type OtlpSignal = 'traces' | 'metrics';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  constructor(
    message: string,
    /** 415 for a content type that is neither, 400 for a body that is not what it says. */
    readonly status: 400 | 415,
  ) {
    super(message);
  }
}

const PROTO_DIR = join(__dirname, '..', '..', '..', 'proto');
const REQUESTS: Record<OtlpSignal, { file: string; type: string }> = {
  traces: {
    file: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    type: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  },
  metrics: {
    file: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    type: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  },
};
/** Bytes fields the JSON mapping writes as hex (OTLP's exception to proto3's base64). */
const HEX_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

let root: protobuf.Root | undefined;
function requestType(signal: OtlpSignal): protobuf.Type {
  if (!root) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    root.loadSync(Object.values(REQUESTS).map((request) => request.file));
  }
  return root.lookupType(REQUESTS[signal].type);
}

/** An export request of either encoding, as a plain object in OTLP/JSON's shape. */
export function decodeOtlp(signal: OtlpSignal, contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const type = requestType(signal);
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  let message: protobuf.Message;
  if (media === 'application/x-protobuf') {
    try {
      message = type.decode(body);
    } catch (error) {
      throw new OtlpDecodeError(`not an OTLP ${signal} protobuf body: ${(error as Error).message}`, 400);
    }
  } else if (media === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new OtlpDecodeError('not JSON', 400);
    }
    const problem = unknownField(type, parsed, type.name);
    if (problem) throw new OtlpDecodeError(`not an OTLP ${signal} JSON body: ${problem}`, 400);
    message = type.fromObject(hexToBytes(parsed) as Record<string, unknown>);
  } else {
    throw new OtlpDecodeError(`expected application/x-protobuf or application/json, got ${contentType ?? 'no content type'}`, 415);
  }
  const object = type.toObject(message, { longs: String, enums: Number, bytes: Array, arrays: true });
  return bytesToHex(object) as Record<string, unknown>;
}

/** The first field (path) of a JSON body that the message type does not define, if any. */
function unknownField(type: protobuf.Type, value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path}: expected an object`;
  for (const [key, child] of Object.entries(value)) {
    const field = type.fields[key] ?? Object.values(type.fields).find((candidate) => candidate.options?.json_name === key);
    if (!field) return `${path}.${key}: no such field in ${type.fullName.slice(1)}`;
    field.resolve();
    if (!(field.resolvedType instanceof protobuf.Type) || child === null) continue;
    const items = field.repeated ? (Array.isArray(child) ? child : [child]) : [child];
    for (const [index, item] of items.entries()) {
      const problem = unknownField(field.resolvedType, item, field.repeated ? `${path}.${key}[${index}]` : `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function hexToBytes(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && HEX_FIELDS.has(key)) return Buffer.from(value, 'hex');
  if (Array.isArray(value)) return value.map((item) => hexToBytes(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([childKey, child]) => [childKey, hexToBytes(child, childKey)]));
  }
  return value;
}

function bytesToHex(value: unknown, key = ''): unknown {
  if (HEX_FIELDS.has(key) && Array.isArray(value)) return Buffer.from(value as number[]).toString('hex');
  if (Array.isArray(value)) return value.map((item) => bytesToHex(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([childKey, child]) => [childKey, bytesToHex(child, childKey)]));
  }
  return value;
}
