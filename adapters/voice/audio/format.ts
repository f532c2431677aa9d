/**
 * The one audio format of the voice line: WAV, 16-bit linear PCM, mono, 8 kHz.
 *
 * Why 8 kHz: a phone call into Mali is narrowband (G.711 / AMR-NB carry 8 kHz audio), so
 * anything above 4 kHz never reaches the caller, and a file already at the line's rate is
 * played without resampling by the gateway's media server. Africa's Talking's docs name no
 * format for `Play` (only "a URL to an audio file"); gateways that do document one ask for
 * exactly this (CallFire: "8khz 16bit Mono"; teleapi/api19: "Wav (Sample rate 8000Hz, bit rate
 * of 16, Mono)"). 16-bit PCM rather than µ-law: every media server and browser plays it, and
 * the studio can measure it. 16 kB per second of speech.
 */
export const AUDIO_FORMAT = {
  sampleRate: 8000,
  channels: 1,
  bitsPerSample: 16,
  contentType: 'audio/wav',
} as const;

export const BYTES_PER_SECOND =
  AUDIO_FORMAT.sampleRate * AUDIO_FORMAT.channels * (AUDIO_FORMAT.bitsPerSample / 8);
