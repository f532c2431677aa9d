/**
 * The little of RIFF/WAVE the voice channel needs: read a PCM file's format and locate its
 * samples, and join files of one format into one (the gateway nests one Play per GetDigits, so a
 * menu made of several prompts is served as one file).
 */

export interface WavInfo {
  /** 1 = PCM. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset and length of the samples (the `data` chunk). */
  dataOffset: number;
  dataLength: number;
  durationSeconds: number;
}

export class WavError extends Error {}

export function readWavInfo(buffer: Buffer): WavInfo {
  if (
    buffer.length < 12 ||
    buffer.toString('ascii', 0, 4) !== 'RIFF' ||
    buffer.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new WavError('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataLength' | 'durationSeconds'> | undefined;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buffer.length) throw new WavError('short fmt chunk');
      fmt = {
        format: buffer.readUInt16LE(body),
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
        bitsPerSample: buffer.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('data chunk before fmt chunk');
      // Streams written without knowing their length (espeak --stdout) say 0x7fffffff or so.
      const dataLength = Math.min(size, buffer.length - body);
      const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
      if (bytesPerSecond <= 0) throw new WavError('invalid format');
      return { ...fmt, dataOffset: body, dataLength, durationSeconds: dataLength / bytesPerSecond };
    }
    offset = body + size + (size % 2);
  }
  throw new WavError('no data chunk');
}

/** A canonical 44-byte header for 16-bit PCM. */
export function wavHeader(dataLength: number, sampleRate: number, channels = 1, bitsPerSample = 16): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = channels * (bitsPerSample / 8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataLength, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataLength, 40);
  return header;
}

/**
 * One WAV of the files one after the other with `gapSeconds` of silence between them. All must
 * be 16-bit PCM of the same rate and channel count (the audio library writes only that).
 */
export function joinWavs(files: Buffer[], gapSeconds = 0.25): Buffer {
  if (files.length === 0) throw new WavError('nothing to join');
  const infos = files.map(readWavInfo);
  const first = infos[0]!;
  for (const info of infos) {
    if (
      info.format !== 1 ||
      info.bitsPerSample !== 16 ||
      info.sampleRate !== first.sampleRate ||
      info.channels !== first.channels
    ) {
      throw new WavError('files of different formats cannot be joined');
    }
  }
  const blockAlign = first.channels * 2;
  const gap = Buffer.alloc(Math.round(gapSeconds * first.sampleRate) * blockAlign);
  const parts: Buffer[] = [];
  files.forEach((file, i) => {
    if (i > 0) parts.push(gap);
    const info = infos[i]!;
    // Whole sample frames only.
    const length = info.dataLength - (info.dataLength % blockAlign);
    parts.push(file.subarray(info.dataOffset, info.dataOffset + length));
  });
  const data = Buffer.concat(parts);
  return Buffer.concat([wavHeader(data.length, first.sampleRate, first.channels), data]);
}
