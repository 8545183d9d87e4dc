/**
 * kafkajs's request framing (size, api key and version, correlation id, client id, then the body). kafkajs
 * copies the body twice into new zero-filled Encoders to prepend the header and then the size; for a
 * produce request of a megabyte that is two extra passes over every produced byte. Here a body that left
 * room in front of it (`headroom`: the produce request) is framed in place, any other is copied once into
 * a frame of its exact size. The connection only reads `.buffer`.
 */
import { replaceKafkajsModule } from './kafkajs-module-replacement.js';

interface RequestToFrame {
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    /** `headroom`: how many bytes before `buffer` in its memory are free for the frame's header. */
    encode(): Promise<{ readonly buffer: Buffer; readonly headroom?: number }>;
  };
}

export async function frameRequest({
  correlationId,
  clientId,
  request: { apiKey, apiVersion, encode },
}: RequestToFrame): Promise<{ readonly buffer: Buffer }> {
  const { buffer: body, headroom = 0 } = await encode();
  const clientIdBytes = clientId === null ? 0 : Buffer.byteLength(clientId);
  const headerBytes = 2 + 2 + 4 + 2 + clientIdBytes;
  const inPlace = headroom >= 4 + headerBytes;
  const frame = inPlace
    ? Buffer.from(body.buffer, body.byteOffset - 4 - headerBytes, 4 + headerBytes + body.length)
    : Buffer.allocUnsafe(4 + headerBytes + body.length);
  let at = frame.writeInt32BE(headerBytes + body.length, 0);
  at = frame.writeInt16BE(apiKey, at);
  at = frame.writeInt16BE(apiVersion, at);
  at = frame.writeInt32BE(correlationId, at);
  at = frame.writeInt16BE(clientId === null ? -1 : clientIdBytes, at);
  if (clientId !== null) at += frame.write(clientId, at, clientIdBytes, 'utf8');
  if (!inPlace) frame.set(body, at);
  return { buffer: frame };
}

replaceKafkajsModule('kafkajs/src/protocol/request.js', frameRequest);
